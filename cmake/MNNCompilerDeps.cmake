# LLVM/MLIR 19 from Debian (llvm-19-dev, libmlir-19-dev, mlir-19-tools).
set(MLIR_DIR /usr/lib/llvm-19/lib/cmake/mlir CACHE PATH "MLIR CMake package dir")
find_package(MLIR REQUIRED CONFIG)
message(STATUS "Using MLIR ${MLIR_PACKAGE_VERSION} from ${MLIR_DIR}")

# TableGen outputs would rerun on every build otherwise (LLVM sets it too).
cmake_policy(SET CMP0116 OLD)

list(APPEND CMAKE_MODULE_PATH ${MLIR_CMAKE_DIR} ${LLVM_CMAKE_DIR})
set(LLVM_RUNTIME_OUTPUT_INTDIR ${CMAKE_BINARY_DIR}/bin)
set(LLVM_LIBRARY_OUTPUT_INTDIR ${CMAKE_BINARY_DIR}/lib)
include(TableGen)
include(AddLLVM)
include(AddMLIR)
include(HandleLLVMOptions)

include_directories(SYSTEM ${LLVM_INCLUDE_DIRS} ${MLIR_INCLUDE_DIRS})
include_directories(${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR})
link_directories(${LLVM_BUILD_LIBRARY_DIR})
add_definitions(${LLVM_DEFINITIONS})

# lit and FileCheck from llvm-19-tools (LLVM_DEFAULT_EXTERNAL_LIT is missing).
set(LLVM_EXTERNAL_LIT /usr/lib/llvm-19/build/utils/lit/lit.py CACHE FILEPATH "lit")
find_program(MNN_LD_LLD NAMES ld.lld-19 ld.lld PATHS /usr/lib/llvm-19/bin REQUIRED)
find_program(MNN_CLANG NAMES clang-19 clang PATHS /usr/lib/llvm-19/bin)
find_package(Protobuf REQUIRED)
find_package(Python3 COMPONENTS Interpreter REQUIRED)
