# Runs `mxjit-train --model ${MODEL} --quick` (MODEL defaults to mlp) and
# checks that its outputs exist.
if(NOT MODEL)
  set(MODEL mlp)
endif()
file(REMOVE_RECURSE ${OUT})
execute_process(COMMAND ${TOOL} --model ${MODEL} --quick --out ${OUT}
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "mxjit-train --model ${MODEL} --quick exited with ${rc}")
endif()
foreach(f training-curve-${MODEL}.svg network-${MODEL}.dot)
  if(NOT EXISTS ${OUT}/${f})
    message(FATAL_ERROR "mxjit-train --quick did not write ${OUT}/${f}")
  endif()
endforeach()
