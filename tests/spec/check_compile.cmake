# smtpspec: compiles one snippet and checks that it compiles, or fails as expected.
# Run by ctest: cmake -DCOMPILER=... -DSOURCE=... -DINCLUDES=a;b -DEXPECT=pass|fail
#               [-DMATCH=regex] -P check_compile.cmake
# With EXPECT=fail, the compiler must reject the snippet and its output must
# match MATCH, so the test proves the right check fired, not just any error.
foreach(var COMPILER SOURCE INCLUDES EXPECT)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "check_compile.cmake: ${var} is not set")
    endif()
endforeach()

set(include_flags)
foreach(dir IN LISTS INCLUDES)
    list(APPEND include_flags "-I${dir}")
endforeach()

execute_process(
    COMMAND ${COMPILER} -std=c++20 -fsyntax-only ${include_flags} ${SOURCE}
    RESULT_VARIABLE status
    OUTPUT_VARIABLE output
    ERROR_VARIABLE output)

if(EXPECT STREQUAL "pass")
    if(NOT status EQUAL 0)
        message(FATAL_ERROR "${SOURCE} should compile but did not:\n${output}")
    endif()
elseif(EXPECT STREQUAL "fail")
    if(status EQUAL 0)
        message(FATAL_ERROR "${SOURCE} compiled, but the catalogue check should reject it")
    endif()
    if(NOT output MATCHES "${MATCH}")
        message(FATAL_ERROR
            "${SOURCE} failed to compile, but the message does not name ${MATCH}:\n${output}")
    endif()
else()
    message(FATAL_ERROR "check_compile.cmake: EXPECT must be pass or fail, not ${EXPECT}")
endif()
message(STATUS "${SOURCE}: ${EXPECT} as expected")
