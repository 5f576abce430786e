# smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
# SPDX-License-Identifier: MIT
#
# The `smtpspec parse` command as a user runs it. Inputs: SMTPSPEC (the
# program), WORK (a scratch directory).

function(run_parse expected_rc out_var)
    execute_process(COMMAND ${SMTPSPEC} parse ${ARGN}
        RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL expected_rc)
        message(FATAL_ERROR "smtpspec parse ${ARGN}: exit ${rc}, expected ${expected_rc}\n"
            "${out}\n${err}")
    endif()
    set(${out_var} "${out}${err}" PARENT_SCOPE)
endfunction()

function(expect text pattern)
    if(NOT text MATCHES "${pattern}")
        message(FATAL_ERROR "expected /${pattern}/ in:\n${text}")
    endif()
endfunction()

file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})

# Usage errors: no rule, an unknown rule, an unreadable file.
run_parse(2 text)
expect("${text}" "give a RULE")
run_parse(2 text no-such-rule -e x)
expect("${text}" "unknown rule \"no-such-rule\"")
run_parse(2 text Mailbox ${WORK}/missing.txt)
expect("${text}" "^smtpspec parse: cannot read ${WORK}/missing.txt: No such file or directory\n$")

# --list: every rule with its section.
run_parse(0 text --list)
expect("${text}" "(^|\n)Mailbox +RFC 5321 4.1.2\n")
expect("${text}" "(^|\n)Time-stamp-line +RFC 5321 4.4\n")
expect("${text}" "(^|\n)dsn::xtext +RFC 3461 4\n")

# A match prints the tree: rule, [begin,end) and the octets.
run_parse(0 text Mailbox -e "user@example.org")
expect("${text}" "-:1: Mailbox \\(RFC 5321 4.1.2\\) matches\n")
expect("${text}" "\n  Mailbox \\[0,16\\) \"user@example.org\"\n")
expect("${text}" "\n    Local-part \\[0,4\\) \"user\"\n")
expect("${text}" "\n    Domain \\[5,16\\) \"example.org\"\n")

# A file of command lines: each line is parsed on its own, its end standing for
# CRLF; a bad line names file, line, column, the rule that failed and its section.
file(WRITE ${WORK}/commands.txt
    "MAIL FROM:<a@example.org> SIZE=100\nRCPT TO:<b@example..org>\r\nDATA\n")
run_parse(1 text mail ${WORK}/commands.txt)
expect("${text}" "commands.txt:1: mail \\(RFC 5321 4.1.1.2\\) matches")
run_parse(1 text rcpt ${WORK}/commands.txt -q)
expect("${text}" "commands.txt:1:1: rcpt: failed in rcpt \\(RFC 5321 4.1.1.3\\) at offset 0")
expect("${text}" "commands.txt:2:20: rcpt: failed in sub-domain \\(RFC 5321 4.1.2\\) at offset 19: ")
expect("${text}" "commands.txt:3:1: rcpt: failed in ")

# RFC 6531 3.7.3: the reference server's Received field of a transaction with
# SMTPUTF8 holds a UTF-8 mailbox. RFC 6531's rule takes it, and the tree shows
# the UTF-8 as UTF-8; RFC 5321's refuses it at the first UTF-8 octet and names
# the rule that takes it.
string(ASCII 9 tab)
file(WRITE ${WORK}/received-utf8.txt
    "Received: from client.example ([127.0.0.1])\r\n${tab}by mx.example.org (smtpspec)"
    " with UTF8SMTP id id1\r\n${tab}for <用户@bücher.example>;\r\n"
    "${tab}Thu, 1 Jan 1970 00:00:00 +0000\r\n")
run_parse(0 text smtputf8::Time-stamp-line --strict ${WORK}/received-utf8.txt)
expect("${text}" "^${WORK}/received-utf8.txt:1: smtputf8::Time-stamp-line \\(RFC 5321 4.4\\) matches\n")
expect("${text}" "\n          Path \\[102,126\\) \"<用户@bücher.example>\"\n")
expect("${text}" "\n                  U-label \\[110,117\\) \"bücher\"\n")
run_parse(1 text Time-stamp-line --strict ${WORK}/received-utf8.txt)
set(want "${WORK}/received-utf8.txt:3:7: Time-stamp-line: failed in Path (RFC 5321 4.1.2) at"
    " offset 103: Path: unexpected octet 0xE7 at offset 103\n"
    "${WORK}/received-utf8.txt:1: note: smtputf8::Time-stamp-line (RFC 6531 3.3, SMTPUTF8)"
    " matches it\n")
string(CONCAT want ${want})
if(NOT text STREQUAL want)
    message(FATAL_ERROR "Time-stamp-line with UTF-8: expected\n${want}got\n${text}")
endif()
# The note is for UTF-8 that the variant takes, not for any refusal.
run_parse(1 text Mailbox -e "a@b..c")
if(text MATCHES "note:")
    message(FATAL_ERROR "a note for an ASCII line:\n${text}")
endif()
run_parse(1 text Mailbox -e "j\\xC3\\xB6rg@\\xFF")
if(text MATCHES "note:")
    message(FATAL_ERROR "a note though smtputf8::Mailbox refuses it too:\n${text}")
endif()
run_parse(1 text Mailbox -e "j\\xC3\\xB6rg@example.org")
expect("${text}" "\n-:1: note: smtputf8::Mailbox \\(RFC 6531 3.3, SMTPUTF8\\) matches it\n$")

# A reply is parsed whole. The ABNF lets its lines carry different codes;
# --strict adds 4.2.1 (one code) and names the line.
file(WRITE ${WORK}/reply.txt "220-mx.example.org ESMTP\r\n521 5.7.1 unavailable\r\n")
run_parse(0 text Reply-line ${WORK}/reply.txt)
expect("${text}" "reply.txt:1: Reply-line \\(RFC 5321 4.2\\) matches")
run_parse(1 text Reply-line --strict ${WORK}/reply.txt)
expect("${text}" "reply.txt:2:1: Reply-line: failed in Reply-code \\(RFC 5321 4.2\\) at offset 26: ")
expect("${text}" "differs from 220")
run_parse(0 text Reply-line --strict -e "250-a\\r\\n250 b\\r\\n")
expect("${text}" "reply: code 250, 2 line\\(s\\)")

# A folded Received: line is one match over several lines (FWS holds CRLF).
file(WRITE ${WORK}/received.txt
    "Received: from a.example.net by mx.example.org\n\twith ESMTP id 17;\n"
    " Fri, 4 Dec 2026 15:00:00 +0000\n")
run_parse(0 text Time-stamp-line --crlf ${WORK}/received.txt)
expect("${text}" "received.txt:1: Time-stamp-line \\(RFC 5321 4.4\\) matches")
expect("${text}" "\n    Stamp \\[10,")
# Without --crlf the LF-only file is not a Received: line.
run_parse(1 text Time-stamp-line ${WORK}/received.txt)
expect("${text}" "received.txt:1:47: Time-stamp-line: failed in ")

# --strict adds what the prose says beside the ABNF: an Snum is at most 255 (4.1.3),
# a Local-part at most 64 octets (4.5.3.1.1).
run_parse(0 text Mailbox -e "a@[300.1.1.1]")
run_parse(1 text Mailbox --strict -e "a@[300.1.1.1]")
expect("${text}" "-:1:4: Mailbox: failed in Snum \\(RFC 5321 4.1.3\\) at offset 3: ")
string(REPEAT "x" 65 long)
run_parse(1 text Mailbox --strict -e "${long}@example.org")
expect("${text}" "failed in Local-part \\(RFC 5321 4.1.2\\) at offset 64: .*4.5.3.1.1")

# -e reads the escapes of `smtpspec lint` and refuses the others, naming the
# column of the character after the backslash; the escapes it knows still work.
run_parse(2 text Mailbox -e "\\q")
expect("${text}" "^smtpspec parse: -e: unknown escape \\\\q \\(column 2\\); use ")
run_parse(2 text Mailbox -e "a\\x4")
expect("${text}" "^smtpspec parse: -e: \\\\x needs two hexadecimal digits \\(column 3\\)\n$")
run_parse(2 text Mailbox -e "a\\")
expect("${text}" "^smtpspec parse: -e: a backslash ends the text \\(column 2\\)")
run_parse(0 text Mailbox -e "\\x75@example.org")
expect("${text}" "\n  Mailbox \\[0,13\\) \"u@example.org\"\n")

# A directory is not an input file: the path and the system's reason.
run_parse(2 text mail ${WORK})
expect("${text}" "^smtpspec parse: cannot read ${WORK}: Is a directory\n$")

# Options that contradict each other are refused.
run_parse(2 text mail --whole --lines -e "DATA")
expect("${text}" "--lines excludes --whole|--whole excludes --lines")
run_parse(2 text mail -e "DATA" ${WORK}/commands.txt)
expect("${text}" "excludes")

file(REMOVE_RECURSE ${WORK})
