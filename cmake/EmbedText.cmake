# rpa_embed_text(<output.cpp> NAMESPACE <ns> ENTRIES <symbol> <file> [<symbol> <file>]...)
# Generates, at build time, a source file defining `const char <ns>::<symbol>[]` holding each
# file's bytes plus a terminating NUL. Editing a file re-runs the generation.
set(RPA_EMBED_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/embed_text_script.cmake")

function(rpa_embed_text output)
  cmake_parse_arguments(ARG "" "NAMESPACE" "ENTRIES" ${ARGN})
  set(inputs "")
  set(pairs "")
  list(LENGTH ARG_ENTRIES count)
  math(EXPR last "${count} - 1")
  foreach(i RANGE 0 ${last} 2)
    math(EXPR j "${i} + 1")
    list(GET ARG_ENTRIES ${i} symbol)
    list(GET ARG_ENTRIES ${j} file)
    list(APPEND inputs "${file}")
    string(APPEND pairs "${symbol}=${file};")
  endforeach()
  add_custom_command(
    OUTPUT "${output}"
    COMMAND ${CMAKE_COMMAND} "-DOUTPUT=${output}" "-DNAMESPACE=${ARG_NAMESPACE}"
            "-DPAIRS=${pairs}" -P "${RPA_EMBED_SCRIPT}"
    DEPENDS ${inputs} "${RPA_EMBED_SCRIPT}"
    COMMENT "Embedding ${inputs}"
    VERBATIM)
endfunction()
