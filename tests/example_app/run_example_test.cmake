# Builds and runs tests/example_app the way a user would, for ctest:
#
#   cmake -DMODE=installed|subproject
#         -DSOURCE_DIR=<mnn-compiler sources> -DWORK_DIR=<scratch dir>
#         [-DBUILD_DIR=<mnn-compiler build>]      (MODE=installed: what to install)
#         [-DGENERATOR=Ninja] [-DMODEL=<digits.onnx>] [-DINPUT=<image.npy>]
#         [-DEXPECT_ARGMAX=<n>] [-DCOMPILER_SOURCE_DIR=<dir>]
#         -P run_example_test.cmake
#
# MODE=installed:  cmake --install BUILD_DIR --prefix WORK_DIR/prefix, then
#                  configure the example alone with CMAKE_PREFIX_PATH=that
#                  prefix (find_package(MNNCompiler)), build, run.
# MODE=subproject: a throw-away project that add_subdirectory()s the
#                  compiler sources (COMPILER_SOURCE_DIR, default SOURCE_DIR)
#                  and the example, so add_mnn_model() uses the mnn-compile
#                  target of that build (rebuilds the compiler; ccache helps).
#
# ctest wiring, e.g. in tests/CMakeLists.txt:
#   add_test(NAME example_app_installed COMMAND ${CMAKE_COMMAND}
#     -DMODE=installed -DBUILD_DIR=${CMAKE_BINARY_DIR} -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
#     -DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/example_installed -DGENERATOR=${CMAKE_GENERATOR}
#     -P ${PROJECT_SOURCE_DIR}/tests/example_app/run_example_test.cmake)
cmake_minimum_required(VERSION 3.20)

foreach(var SOURCE_DIR WORK_DIR)
  if(NOT ${var})
    message(FATAL_ERROR "run_example_test: -D${var}=... is required")
  endif()
endforeach()
if(NOT MODE)
  set(MODE installed)
endif()
if(NOT GENERATOR)
  find_program(_ninja ninja)
  if(_ninja)
    set(GENERATOR Ninja)
  else()
    set(GENERATOR "Unix Makefiles")
  endif()
endif()
if(NOT COMPILER_SOURCE_DIR)
  set(COMPILER_SOURCE_DIR ${SOURCE_DIR})
endif()
if(NOT MODEL)
  set(MODEL ${SOURCE_DIR}/models/digits.onnx)
endif()
if(NOT EXISTS ${MODEL})
  message(FATAL_ERROR "run_example_test: model ${MODEL} does not exist")
endif()

# Runs a command, echoes it, fails the test with its output on error.
function(run_step what)
  string(REPLACE ";" " " command_line "${ARGN}")
  message(STATUS "run_example_test: ${what}: ${command_line}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "run_example_test: ${what} failed (${rc}):\n${out}\n${err}")
  endif()
  set(step_output "${out}${err}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
set(example_build ${WORK_DIR}/build)
# The example must not pick up a runtime from the environment.
unset(ENV{MNN_RUNTIME_DIR})

if(MODE STREQUAL "installed")
  if(NOT BUILD_DIR)
    message(FATAL_ERROR "run_example_test: MODE=installed needs -DBUILD_DIR=<build tree>")
  endif()
  set(prefix ${WORK_DIR}/prefix)
  run_step("install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
  run_step("configure" ${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/example_app
           -B ${example_build} -G ${GENERATOR} -DCMAKE_BUILD_TYPE=Release
           -DCMAKE_PREFIX_PATH=${prefix} -DDIGITS_MODEL=${MODEL})
  # It must have used the installed package, not a build tree.
  file(STRINGS ${example_build}/CMakeCache.txt package_dir REGEX "^MNNCompiler_DIR:")
  string(REGEX REPLACE "^[^=]*=" "" package_dir "${package_dir}")
  file(REAL_PATH "${prefix}" real_prefix)
  file(REAL_PATH "${package_dir}" real_package_dir)
  string(FIND "${real_package_dir}" "${real_prefix}/" at)
  if(NOT at EQUAL 0)
    message(FATAL_ERROR "run_example_test: the example found MNNCompiler in "
                        "'${package_dir}', not under ${prefix}")
  endif()
elseif(MODE STREQUAL "subproject")
  set(super ${WORK_DIR}/super)
  file(WRITE ${super}/CMakeLists.txt
"cmake_minimum_required(VERSION 3.20)
project(mnn_example_superbuild LANGUAGES C CXX)
set(MNN_BUILD_TESTS OFF CACHE BOOL \"\" FORCE)
add_subdirectory(\"${COMPILER_SOURCE_DIR}\" mnn-compiler)
add_subdirectory(\"${SOURCE_DIR}/tests/example_app\" example_app)
")
  run_step("configure" ${CMAKE_COMMAND} -S ${super} -B ${example_build} -G ${GENERATOR}
           -DCMAKE_BUILD_TYPE=Release -DDIGITS_MODEL=${MODEL}
           -DMNN_SOURCE_DIR=${SOURCE_DIR})
else()
  message(FATAL_ERROR "run_example_test: MODE must be installed or subproject, not '${MODE}'")
endif()

run_step("build" ${CMAKE_COMMAND} --build ${example_build} --target digits_example)

set(exe ${example_build}/digits_example)
if(MODE STREQUAL "subproject")
  set(exe ${example_build}/example_app/digits_example)
endif()
set(args)
if(INPUT)
  set(args ${INPUT})
endif()
run_step("run" ${exe} ${args})
message(STATUS "run_example_test: output:\n${step_output}")
if(NOT step_output MATCHES "argmax: ([0-9]+)")
  message(FATAL_ERROR "run_example_test: no argmax in the output")
endif()
if(DEFINED EXPECT_ARGMAX AND NOT CMAKE_MATCH_1 EQUAL EXPECT_ARGMAX)
  message(FATAL_ERROR "run_example_test: argmax ${CMAKE_MATCH_1}, expected ${EXPECT_ARGMAX}")
endif()
message(STATUS "run_example_test: ${MODE}: OK")
