# smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
# SPDX-License-Identifier: MIT
# `smtpspec lint` from the command line: exit codes 0/1/2, messages that name
# the file and line, SARIF that parses as JSON. Run with -DSMTPSPEC= -DDATA= -DWORK=.

file(MAKE_DIRECTORY ${WORK})

# check(NAME EXIT REGEX ARGS...): run smtpspec with ARGS, compare the exit code,
# and match stdout+stderr against REGEX.
function(check name want_exit regex)
    execute_process(COMMAND ${SMTPSPEC} ${ARGN} RESULT_VARIABLE got OUTPUT_VARIABLE out
        ERROR_VARIABLE err)
    if(NOT got EQUAL want_exit)
        message(FATAL_ERROR "${name}: exit ${got}, expected ${want_exit}\n${out}${err}")
    endif()
    if(NOT "${out}${err}" MATCHES "${regex}")
        message(FATAL_ERROR "${name}: output does not match ${regex}:\n${out}${err}")
    endif()
    set(last_output "${out}" PARENT_SCOPE)
endfunction()

check(clean 0 "clean.txt: 7 lines \\(6 on the wire\\), 0 findings" lint ${DATA}/clean.txt)
check(findings 1 "12   ! error R-2.3.8-3 \\(client, 2.3.8\\).*known fault B01"
    lint ${DATA}/smuggling.txt)
check(profile 1 "R-2.3.8-3" lint --profile rfc5321bis ${DATA}/smuggling.txt)
check(missing 2 "^smtpspec lint: cannot read ${DATA}/missing.txt: No such file or directory\n$"
    lint ${DATA}/missing.txt)
check(folder 2 "^smtpspec lint: cannot read ${WORK}: Is a directory\n$" lint ${WORK})
# A device that never ends: refused at the inputs' bound, not read forever.
string(CONCAT endless "^smtpspec lint: cannot read /dev/zero: it holds more than 134217728 "
    "octets \\(128 MiB\\), the most smtpspec reads from one file\n$")
check(endless 2 "${endless}" lint /dev/zero)
# An output that cannot be written: the path and the system's reason.
check(output_folder 2 "^smtpspec lint: cannot write ${WORK}: Is a directory\n$"
    lint -o ${WORK} ${DATA}/clean.txt)
check(output_missing_folder 2
    "^smtpspec lint: cannot write ${WORK}/no-such-folder/out: No such file or directory\n$"
    lint -o ${WORK}/no-such-folder/out ${DATA}/clean.txt)
check(bad_format 2 "smtpspec lint: ${DATA}/bad_format.txt:2: unknown escape \\\\q"
    lint ${DATA}/bad_format.txt)
check(bad_profile 2 "expected rfc5321 or rfc5321bis" lint --profile x ${DATA}/clean.txt)
check(bad_format_option 2 "format" lint --format xml ${DATA}/clean.txt)
check(no_input 2 "give either FILE" lint)
# Nothing to lint is an error naming the file, not a clean run.
file(WRITE ${WORK}/empty.txt "")
check(empty 2 "smtpspec lint: ${WORK}/empty.txt:1: the file is empty: nothing to lint"
    lint ${WORK}/empty.txt)
file(WRITE ${WORK}/comments.txt "# only a comment\n")
check(comments_only 2 "comments.txt:1: nothing to lint" lint ${WORK}/comments.txt)
check(empty_captures 2 "empty.txt and .*empty.txt: both captures are empty"
    lint --client-capture ${WORK}/empty.txt --server-capture ${WORK}/empty.txt)
# A capture is two files: the summary names both.
check(captures 0 "client.raw \\+ [^\n]*server.raw: 5 lines \\(5 on the wire\\), 0 findings"
    lint --client-capture ${DATA}/client.raw --server-capture ${DATA}/server.raw)

check(sarif 1 "\"ruleId\": \"R-2.3.8-3\"" lint --format sarif ${DATA}/smuggling.txt)
string(JSON version GET "${last_output}" version)
string(JSON rule GET "${last_output}" runs 0 results 0 ruleId)
string(JSON line GET "${last_output}" runs 0 results 0 locations 0 physicalLocation region
    startLine)
if(NOT version STREQUAL "2.1.0" OR NOT rule STREQUAL "R-2.3.8-3" OR NOT line EQUAL 12)
    message(FATAL_ERROR "sarif: version ${version}, rule ${rule}, line ${line}")
endif()

check(output_file 1 "^$" lint --format sarif -o ${WORK}/out.sarif ${DATA}/smuggling.txt)
file(READ ${WORK}/out.sarif written)
string(JSON count LENGTH "${written}" runs 0 results)
if(NOT count EQUAL 1)
    message(FATAL_ERROR "output_file: ${count} results, expected 1")
endif()
