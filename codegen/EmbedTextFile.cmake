# cmake -DINPUT=<text file> -DOUTPUT=<file.inc> -P EmbedTextFile.cmake
# Writes the text of INPUT as one C++ raw string literal, to be used as
#   static const char kText[] =
#   #include "file.inc"
#   ;
if(NOT INPUT OR NOT OUTPUT)
  message(FATAL_ERROR "EmbedTextFile.cmake: set -DINPUT= and -DOUTPUT=")
endif()
file(READ "${INPUT}" text)
set(delim "mnn_embed")
string(FIND "${text}" ")${delim}\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw string delimiter )${delim}\"")
endif()
set(content "// Generated from ${INPUT} by EmbedTextFile.cmake. Do not edit.\nR\"${delim}(${text})${delim}\"\n")
file(WRITE "${OUTPUT}" "${content}")
