# Cross build for arm64 from an x86-64 Debian host (scripts/build --arch arm64): Debian's
# gcc-aarch64-linux-gnu and the arm64 static libraries of multiarch (dpkg --add-architecture
# arm64; scripts/deps --arch arm64 installs both), found under /usr/lib/aarch64-linux-gnu.
# Build-time tools (embed_object) are compiled for the host by CMakeLists.txt itself.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
# Libraries and headers of the target only; programs (clang, bpftool, llvm-strip) of the host.
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu /)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_LIBRARY_PATH /usr/lib/aarch64-linux-gnu)
