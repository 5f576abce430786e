# smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
# SPDX-License-Identifier: MIT
#
# docs/grammar-coverage.tsv is the corpus generator's coverage of every rule,
# which docs/grammar-rules.md shows in its "All alternatives" column. This
# regenerates it and fails when the checked-in file differs. Inputs: SMTPSPEC
# (the program), SOURCE (the source tree), WORK (a scratch directory).

file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
# The same command as grammar/rule_catalog.py's COVERAGE_COMMAND names.
execute_process(COMMAND ${SMTPSPEC} corpus --all-rules --count 150 --seed 1
        --coverage ${WORK}/grammar-coverage.tsv
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "smtpspec corpus --coverage: exit ${rc}\n${out}\n${err}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${WORK}/grammar-coverage.tsv
        ${SOURCE}/docs/grammar-coverage.tsv
    RESULT_VARIABLE same)
if(NOT same EQUAL 0)
    message(FATAL_ERROR "docs/grammar-coverage.tsv is stale; in the source tree run\n"
        "  smtpspec corpus --all-rules --count 150 --seed 1 --coverage docs/grammar-coverage.tsv\n"
        "  python3 grammar/rule_catalog.py markdown .\n"
        "(the new table is ${WORK}/grammar-coverage.tsv)")
endif()
