# smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
# SPDX-License-Identifier: MIT
#
# The `smtpspec corpus` command as a user runs it. Inputs: SMTPSPEC (the
# program), WORK (a scratch directory).

function(run_corpus expected_rc out_var)
    execute_process(COMMAND ${SMTPSPEC} corpus ${ARGN}
        RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL expected_rc)
        message(FATAL_ERROR "smtpspec corpus ${ARGN}: exit ${rc}, expected ${expected_rc}\n"
            "${out}\n${err}")
    endif()
    set(${out_var} "${out}${err}" PARENT_SCOPE)
endfunction()

function(tree_digest dir out_var)
    file(GLOB_RECURSE files RELATIVE ${dir} ${dir}/*)
    list(SORT files)
    set(all "")
    foreach(f IN LISTS files)
        file(SHA256 ${dir}/${f} h)
        string(APPEND all "${f} ${h}\n")
    endforeach()
    set(${out_var} "${all}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${WORK})

# An unknown rule is a usage error that names the rule.
run_corpus(2 text --rule no-such-rule --out ${WORK}/x)
if(NOT text MATCHES "unknown rule \"no-such-rule\"")
    message(FATAL_ERROR "no clear error for an unknown rule:\n${text}")
endif()

# A negative seed is refused, not wrapped around to 2^64-1.
run_corpus(2 text --rule mail --count 1 --seed -1 --out ${WORK}/neg)
if(NOT text MATCHES "--seed: expected a whole number from 0 to 18446744073709551615, got \"-1\""
        OR EXISTS ${WORK}/neg)
    message(FATAL_ERROR "a negative --seed was not refused:\n${text}")
endif()

# Every numeric option is a whole number in its range: a sign, a value past
# 2^64 (never saturated to the largest value) or one out of range is refused
# with the option, the range and the value, exit 2, and nothing is written.
set(huge 99999999999999999999)
foreach(case
        "--count|-1|1|10000000" "--count|0|1|10000000" "--count|10000001|1|10000000"
        "--count|${huge}|1|10000000" "--count|1.5|1|10000000"
        "--jobs|0|1|256" "--jobs|257|1|256" "--jobs|-1|1|256" "--jobs|${huge}|1|256"
        "--seed|${huge}|0|18446744073709551615" "--seed|18446744073709551616|0|18446744073709551615")
    string(REPLACE "|" ";" parts "${case}")
    list(GET parts 0 option)
    list(GET parts 1 value)
    list(GET parts 2 low)
    list(GET parts 3 high)
    execute_process(COMMAND ${SMTPSPEC} corpus --rule mail ${option} ${value} --out ${WORK}/range
        RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    set(want "${option}: expected a whole number from ${low} to ${high}, got \"${value}\"\n")
    string(FIND "${err}" "${want}" at)
    if(NOT rc EQUAL 2 OR NOT out STREQUAL "" OR NOT at EQUAL 0 OR EXISTS ${WORK}/range)
        message(FATAL_ERROR "corpus ${option} ${value}: exit ${rc}, expected 2 and\n"
            "${want}got:\n${out}${err}")
    endif()
endforeach()
# The ends of the ranges are taken.
run_corpus(0 text --rule mail --count 1 --jobs 256 --seed 18446744073709551615
    --out ${WORK}/ends)

# --list-rules names the ABNF rules.
run_corpus(0 text --list-rules)
foreach(rule mail rcpt Mailbox Reverse-path Reply-line)
    if(NOT text MATCHES "(^|\n)${rule}\n")
        message(FATAL_ERROR "--list-rules lacks ${rule}:\n${text}")
    endif()
endforeach()

# A run writes one file per sample and a coverage summary; mail is covered fully.
run_corpus(0 text --rule mail --rule rcpt --count 300 --seed 5 --out ${WORK}/a --negative
    --sessions --dict ${WORK}/a/smtp.dict --jobs 2)
if(NOT text MATCHES "mail +300 +([0-9]+)/([0-9]+) ")
    message(FATAL_ERROR "no coverage line for mail:\n${text}")
endif()
if(NOT CMAKE_MATCH_1 EQUAL CMAKE_MATCH_2)
    message(FATAL_ERROR "mail alternatives not all covered:\n${text}")
endif()
foreach(f mail/mail-000000 mail/mail-000299 rcpt/rcpt-000299 negative/mail/labels.tsv
        sessions/manifest.tsv smtp.dict)
    if(NOT EXISTS ${WORK}/a/${f})
        message(FATAL_ERROR "missing ${f}")
    endif()
endforeach()

# The same seed writes the same files, with another number of jobs.
run_corpus(0 text --rule mail --rule rcpt --count 300 --seed 5 --out ${WORK}/b --negative
    --sessions --dict ${WORK}/b/smtp.dict --jobs 1)
tree_digest(${WORK}/a da)
tree_digest(${WORK}/b db)
if(NOT da STREQUAL db)
    message(FATAL_ERROR "same seed, different files")
endif()
file(REMOVE_RECURSE ${WORK})
