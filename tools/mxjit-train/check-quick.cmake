# Runs `mxjit-train --model mlp --quick` and checks its outputs exist.
file(REMOVE_RECURSE ${OUT})
execute_process(COMMAND ${TOOL} --model mlp --quick --out ${OUT}
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "mxjit-train --quick exited with ${rc}")
endif()
foreach(f training-curve-mlp.svg network-mlp.dot)
  if(NOT EXISTS ${OUT}/${f})
    message(FATAL_ERROR "mxjit-train --quick did not write ${OUT}/${f}")
  endif()
endforeach()
