# Compiles SOURCE with -DCONTRACT_VIOLATION=VIOLATION. VIOLATION 0 must compile; any other must
# be refused with a message matching EXPECT (cmake -P, run by CTest: tests/CMakeLists.txt).
execute_process(
  COMMAND ${CXX} -std=c++20 -fsyntax-only -I${SOURCE_DIR} -DCONTRACT_VIOLATION=${VIOLATION} ${SOURCE}
  RESULT_VARIABLE status
  OUTPUT_VARIABLE output
  ERROR_VARIABLE output)
if(VIOLATION EQUAL 0)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "the valid toy strategy does not compile:\n${output}")
  endif()
  return()
endif()
if(status EQUAL 0)
  message(FATAL_ERROR "violation ${VIOLATION} compiled; the contract must refuse it")
endif()
if(NOT output MATCHES "${EXPECT}")
  message(FATAL_ERROR "violation ${VIOLATION} was refused, but without a message matching '${EXPECT}':\n${output}")
endif()
message(STATUS "refused as expected: ${EXPECT}")
