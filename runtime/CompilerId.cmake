# Writes OUT, a C string literal naming this build's code generator, for the
# on-disk compile cache (runtime/DiskCache.cpp): a SHA-256 over the contents
# of every file under ir/, lowering/ and runtime/ in SOURCE_DIR (the
# dialect, the passes, the pipeline and the code generation and linking
# code) and SALT (LLVM version, C++ compiler and flags). The same checkout
# built the same way gets the same identity on every machine and every
# rebuild; any edit to those folders gives a new one, so entries written by
# an older code generator are never loaded.
#
# Usage: cmake -DSOURCE_DIR=... -DOUT=... -DSALT=... -P CompilerId.cmake
file(GLOB_RECURSE files LIST_DIRECTORIES false RELATIVE "${SOURCE_DIR}"
     "${SOURCE_DIR}/ir/*" "${SOURCE_DIR}/lowering/*" "${SOURCE_DIR}/runtime/*")
list(SORT files)
set(manifest "${SALT}\n")
foreach(f IN LISTS files)
  file(SHA256 "${SOURCE_DIR}/${f}" h)
  string(APPEND manifest "${f} ${h}\n")
endforeach()
string(SHA256 id "${manifest}")
string(SUBSTRING "${id}" 0 32 id)
file(WRITE "${OUT}" "\"${id}\"\n")
