# Manual pages and bash completion, written by the binary itself from its applet table (bcct
# --man, bcct --completion), so that they name exactly the applets, aliases and options it has:
#   cmake -DBCCT=build/bcct -DJSON_DOC=docs/JSON.md -DOUT=build/docs -P cmake/docs.cmake
# gives OUT/man/bcct*.8.gz (gzip -9n: Debian's policy, and reproducible) and
# OUT/bash-completion/bcct. Pages of applets since removed do not survive: man/ is rebuilt.
find_program(GZIP gzip REQUIRED)
file(REMOVE_RECURSE ${OUT}/man)
file(MAKE_DIRECTORY ${OUT}/man ${OUT}/bash-completion)
execute_process(COMMAND ${BCCT} --man ${OUT}/man ${JSON_DOC} RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "bcct --man failed (${rc})")
endif()
file(GLOB pages ${OUT}/man/*.8)
execute_process(COMMAND ${GZIP} -9n ${pages} RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "gzip of the manual pages failed (${rc})")
endif()
execute_process(COMMAND ${BCCT} --completion bash OUTPUT_FILE ${OUT}/bash-completion/bcct.tmp
                RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "bcct --completion bash failed (${rc})")
endif()
file(RENAME ${OUT}/bash-completion/bcct.tmp ${OUT}/bash-completion/bcct)
file(TOUCH ${OUT}/stamp)
