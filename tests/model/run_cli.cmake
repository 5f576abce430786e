# smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
# SPDX-License-Identifier: MIT
#
# Runs PROGRAM with ARGS (a ;-list) and checks that it exits with STATUS and
# that its standard output and error together match REGEX. With FILE and
# FILE_REGEX, also checks that the program wrote FILE and what it holds; with
# DOC, that FILE's text appears verbatim in DOC (docs kept up to date).
if(FILE)
    file(REMOVE ${FILE})
endif()
execute_process(COMMAND ${PROGRAM} ${ARGS}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(all "${out}${err}")
message("${all}")
if(NOT rc EQUAL STATUS)
    message(FATAL_ERROR "exit status ${rc}, expected ${STATUS}")
endif()
if(NOT all MATCHES "${REGEX}")
    message(FATAL_ERROR "output does not match: ${REGEX}")
endif()
if(FILE)
    if(NOT EXISTS ${FILE})
        message(FATAL_ERROR "${FILE} was not written")
    endif()
    file(READ ${FILE} content)
    if(NOT content MATCHES "${FILE_REGEX}")
        message(FATAL_ERROR "${FILE} does not match: ${FILE_REGEX}")
    endif()
endif()
if(DOC)
    file(READ ${DOC} doc)
    string(FIND "${doc}" "${content}" at)
    if(at EQUAL -1)
        message(FATAL_ERROR "${DOC} does not hold the text of ${FILE}: regenerate it "
            "(docs/model.md says how)")
    endif()
endif()
