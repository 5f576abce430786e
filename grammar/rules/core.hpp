// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_GRAMMAR_RULES_CORE_HPP
#define SMTPSPEC_GRAMMAR_RULES_CORE_HPP

// The core rules of RFC 5234 Appendix B.1 that the SMTP grammar uses. RFC 5321
// 4.1.2 imports them by name. ABNF quoted strings are case-insensitive (RFC 5234
// 2.3), which is why HEXDIG accepts "a"-"f" as well as "A"-"F".

#include <tao/pegtl.hpp>

namespace smtpspec::grammar::rules
{

// The rules are written in PEGTL's own vocabulary; pulling it into this
// namespace keeps each transcription close to its ABNF.
using namespace tao::pegtl;  // NOLINT(google-build-using-namespace)

/// RFC 5234 B.1: ALPHA = %x41-5A / %x61-7A ; A-Z / a-z
struct ALPHA : ranges<'A', 'Z', 'a', 'z'> {};

/// RFC 5234 B.1: BIT = "0" / "1"
struct BIT : one<'0', '1'> {};

/// RFC 5234 B.1: CHAR = %x01-7F
struct CHAR : range<'\x01', '\x7f'> {};

/// RFC 5234 B.1: CR = %x0D
struct CR : one<'\r'> {};

/// RFC 5234 B.1: LF = %x0A
struct LF : one<'\n'> {};

/// RFC 5234 B.1: CRLF = CR LF
struct CRLF : seq<CR, LF> {};

/// RFC 5234 B.1: CTL = %x00-1F / %x7F
struct CTL : ranges<'\x00', '\x1f', '\x7f'> {};

/// RFC 5234 B.1: DIGIT = %x30-39
struct DIGIT : range<'0', '9'> {};

/// RFC 5234 B.1: DQUOTE = %x22
struct DQUOTE : one<'"'> {};

/// RFC 5234 B.1: HEXDIG = DIGIT / "A" / "B" / "C" / "D" / "E" / "F"
/// (case-insensitive, so "a"-"f" match too).
struct HEXDIG : ranges<'0', '9', 'A', 'F', 'a', 'f'> {};

/// RFC 5234 B.1: HTAB = %x09
struct HTAB : one<'\t'> {};

/// RFC 5234 B.1: SP = %x20
struct SP : one<' '> {};

/// RFC 5234 B.1: VCHAR = %x21-7E
struct VCHAR : range<'\x21', '\x7e'> {};

/// RFC 5234 B.1: WSP = SP / HTAB
struct WSP : sor<SP, HTAB> {};

}  // namespace smtpspec::grammar::rules

#endif  // SMTPSPEC_GRAMMAR_RULES_CORE_HPP
