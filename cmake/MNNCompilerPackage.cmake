# Installation and CMake package of the compiler (included at the end of the
# top-level CMakeLists.txt when MNN_BUILD_COMPILER is on).
#
#   <prefix>/bin/mnn-compile
#   <prefix>/${MNN_RUNTIME_LIBDIR}/<arch>/libmnnrt.a    (runtime/CMakeLists.txt)
#   <prefix>/include/mnn/*.h                            (runtime/CMakeLists.txt)
#   <prefix>/lib/cmake/MNNCompiler/MNNCompilerConfig.cmake, ...ConfigVersion.cmake,
#                                   AddMNNModel.cmake
#
# Consumers: find_package(MNNCompiler) then add_mnn_model(); projects that
# add_subdirectory() this repository get add_mnn_model() from here directly.
include(CMakePackageConfigHelpers)
include(${CMAKE_CURRENT_LIST_DIR}/AddMNNModel.cmake)

set(MNN_CMAKE_PACKAGE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/MNNCompiler)

if(TARGET mnn-compile)
  install(TARGETS mnn-compile RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  # libMLIR.so lives in LLVM's private lib directory (/usr/lib/llvm-19/lib),
  # which is not on the loader's path: keep it in the installed RUNPATH.
  if(LLVM_LIBRARY_DIR)
    set_property(TARGET mnn-compile APPEND PROPERTY INSTALL_RPATH "${LLVM_LIBRARY_DIR}")
  endif()
else()
  message(WARNING "MNNCompilerPackage: no mnn-compile target; the package "
                  "will not be usable")
endif()

set(_mnn_package_build_dir ${CMAKE_BINARY_DIR}/cmake/MNNCompiler)
configure_package_config_file(
  ${CMAKE_CURRENT_LIST_DIR}/MNNCompilerConfig.cmake.in
  ${_mnn_package_build_dir}/MNNCompilerConfig.cmake
  INSTALL_DESTINATION ${MNN_CMAKE_PACKAGE_DIR}
  PATH_VARS CMAKE_INSTALL_BINDIR CMAKE_INSTALL_INCLUDEDIR MNN_RUNTIME_LIBDIR)
write_basic_package_version_file(
  ${_mnn_package_build_dir}/MNNCompilerConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMinorVersion)
install(FILES
  ${_mnn_package_build_dir}/MNNCompilerConfig.cmake
  ${_mnn_package_build_dir}/MNNCompilerConfigVersion.cmake
  ${CMAKE_CURRENT_LIST_DIR}/AddMNNModel.cmake
  DESTINATION ${MNN_CMAKE_PACKAGE_DIR})
unset(_mnn_package_build_dir)
