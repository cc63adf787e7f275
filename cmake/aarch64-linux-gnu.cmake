# Toolchain file for an AArch64 Linux cross build with Debian's cross GCC
# (gcc-aarch64-linux-gnu, g++-aarch64-linux-gnu, libc6-dev-arm64-cross).
# Used for the runtime-only build that provides mnn-run and libmnnrt.a for
# AArch64; run the results with
#   qemu-aarch64 -cpu cortex-a76 -L /usr/aarch64-linux-gnu BINARY
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)

set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Lets CMake run cross-built programs (tests, try_run) through qemu.
find_program(MNN_QEMU_AARCH64 qemu-aarch64)
if(MNN_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR
      ${MNN_QEMU_AARCH64} -cpu cortex-a76 -L /usr/aarch64-linux-gnu)
endif()
