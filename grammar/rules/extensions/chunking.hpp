// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_GRAMMAR_RULES_EXTENSIONS_CHUNKING_HPP
#define SMTPSPEC_GRAMMAR_RULES_EXTENSIONS_CHUNKING_HPP

// RFC 3030: the CHUNKING extension's BDAT command.

#include "grammar/rules/core.hpp"
#include "grammar/rules/extensions/body.hpp"

namespace smtpspec::grammar::rules::chunking
{

/// RFC 3030 2: chunk-size ::= 1*DIGIT
struct chunk_size : plus<DIGIT> {};

/// RFC 3030 2: end-marker ::= "LAST"
struct end_marker : istring<'L', 'A', 'S', 'T'> {};

/// RFC 3030 2: bdat-cmd ::= "BDAT" SP chunk-size [ SP end-marker ] CR LF
struct bdat_cmd
    : seq<istring<'B', 'D', 'A', 'T'>, SP, chunk_size, opt<SP, end_marker>, CR, LF> {};

/// RFC 3030 3: body-value ::= "7BIT" / "8BITMIME" / "BINARYMIME" (RFC 6152's plus BINARYMIME)
struct body_value
    : sor<body::body_value, istring<'B', 'I', 'N', 'A', 'R', 'Y', 'M', 'I', 'M', 'E'>> {};

}  // namespace smtpspec::grammar::rules::chunking

#endif  // SMTPSPEC_GRAMMAR_RULES_EXTENSIONS_CHUNKING_HPP
