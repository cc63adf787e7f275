# add_mnn_model(): compile an ONNX model into a shared library at build time.
#
#   add_mnn_model(TARGET <target> MODEL <model.onnx>
#                 [NAME <c_identifier>]          # default: <target>
#                 [ARCH x86_64|aarch64]          # default: the target system's
#                 [OPTIONS <mnn-compile args>...])
#
# Runs, when the model or the compiler changes,
#   mnn-compile <model> -o <out> --target <arch> --name <name> <OPTIONS...>
# with <out> = ${CMAKE_CURRENT_BINARY_DIR}/mnn_models/<name>, which receives
# lib<name>.so and <name>.h, and defines
#   <target>            IMPORTED SHARED library: link it to get the .so and
#                       the directory of <name>.h on the include path;
#   <target>_mnn_model  the custom target that runs mnn-compile (<target>
#                       depends on it, so linking orders the build).
# Properties of <target>: MNN_MODEL_NAME, MNN_MODEL_ARCH, MNN_MODEL_HEADER.
# Ship the library with install(IMPORTED_RUNTIME_ARTIFACTS <target>).
# A model for another ARCH than the build's cannot be linked into the build's
# programs; use <target>_mnn_model and the properties to package it instead.
#
# Which mnn-compile runs:
#   1. MNN_COMPILE_EXECUTABLE, if set (a path);
#   2. the `mnn-compile` target of this build (mnn-compiler added with
#      add_subdirectory);
#   3. MNNCompiler::mnn-compile from find_package(MNNCompiler).
include_guard(GLOBAL)

function(add_mnn_model)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "TARGET;MODEL;NAME;ARCH" "OPTIONS")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "add_mnn_model: unexpected arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT arg_TARGET)
    message(FATAL_ERROR "add_mnn_model: TARGET is required")
  endif()
  if(NOT arg_MODEL)
    message(FATAL_ERROR "add_mnn_model(${arg_TARGET}): MODEL is required")
  endif()
  if(TARGET ${arg_TARGET})
    message(FATAL_ERROR "add_mnn_model: a target named '${arg_TARGET}' already exists")
  endif()

  set(name "${arg_NAME}")
  if(NOT name)
    set(name "${arg_TARGET}")
  endif()
  if(NOT name MATCHES "^[A-Za-z][A-Za-z0-9_]*$")
    message(FATAL_ERROR
      "add_mnn_model(${arg_TARGET}): model name '${name}' is not a C identifier "
      "(letters, digits, '_'; starts with a letter); pass NAME <name>")
  endif()

  set(arch "${arg_ARCH}")
  if(NOT arch)
    string(TOLOWER "${CMAKE_SYSTEM_PROCESSOR}" processor)
    if(processor MATCHES "^(aarch64|arm64)$")
      set(arch aarch64)
    else()
      set(arch x86_64)
    endif()
  endif()
  if(NOT arch MATCHES "^(x86_64|aarch64)$")
    message(FATAL_ERROR "add_mnn_model(${arg_TARGET}): ARCH must be x86_64 or aarch64, not '${arch}'")
  endif()

  get_filename_component(model "${arg_MODEL}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")

  # The compiler, and what the command depends on besides the model.
  set(depends "${model}")
  if(MNN_COMPILE_EXECUTABLE)
    set(compiler "${MNN_COMPILE_EXECUTABLE}")
    list(APPEND depends "${MNN_COMPILE_EXECUTABLE}")
  elseif(TARGET mnn-compile)
    set(compiler "$<TARGET_FILE:mnn-compile>")
    list(APPEND depends mnn-compile)
    # In the build tree mnn-compile takes the runtime archives from the build.
    if(TARGET mnnrt_all_targets)
      list(APPEND depends mnnrt_all_targets)
    endif()
  elseif(TARGET MNNCompiler::mnn-compile)
    set(compiler "$<TARGET_FILE:MNNCompiler::mnn-compile>")
    list(APPEND depends "$<TARGET_FILE:MNNCompiler::mnn-compile>")
    if(MNNCompiler_RUNTIME_DIR AND EXISTS "${MNNCompiler_RUNTIME_DIR}/${arch}/libmnnrt.a")
      list(APPEND depends "${MNNCompiler_RUNTIME_DIR}/${arch}/libmnnrt.a")
    endif()
  else()
    message(FATAL_ERROR
      "add_mnn_model(${arg_TARGET}): no mnn-compile: use find_package(MNNCompiler), "
      "add_subdirectory() the mnn-compiler sources, or set MNN_COMPILE_EXECUTABLE")
  endif()

  set(out_dir "${CMAKE_CURRENT_BINARY_DIR}/mnn_models/${name}")
  set(library "${out_dir}/lib${name}.so")
  set(header "${out_dir}/${name}.h")
  # Imported targets must not name missing include directories.
  file(MAKE_DIRECTORY "${out_dir}")

  add_custom_command(
    OUTPUT "${library}" "${header}"
    COMMAND ${compiler} "${model}" -o "${out_dir}" --target ${arch} --name ${name}
            ${arg_OPTIONS}
    DEPENDS ${depends}
    COMMENT "mnn-compile: ${arg_MODEL} -> lib${name}.so (${arch})"
    VERBATIM
    COMMAND_EXPAND_LISTS)
  add_custom_target(${arg_TARGET}_mnn_model DEPENDS "${library}" "${header}")

  add_library(${arg_TARGET} SHARED IMPORTED GLOBAL)
  set_target_properties(${arg_TARGET} PROPERTIES
    IMPORTED_LOCATION "${library}"
    IMPORTED_SONAME "lib${name}.so"
    INTERFACE_INCLUDE_DIRECTORIES "${out_dir}"
    MNN_MODEL_NAME "${name}"
    MNN_MODEL_ARCH "${arch}"
    MNN_MODEL_HEADER "${header}")
  add_dependencies(${arg_TARGET} ${arg_TARGET}_mnn_model)
endfunction()
