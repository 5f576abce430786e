// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_GRAMMAR_RULES_COMMAND_HPP
#define SMTPSPEC_GRAMMAR_RULES_COMMAND_HPP

// RFC 5321 4.1.1: the command lines. Quoted strings in ABNF are
// case-insensitive (RFC 5234 2.3), and 2.4 says the same of verbs, so every
// verb, "FROM:", "TO:" and "Postmaster" is matched with istring.

#include "grammar/rules/address.hpp"
#include "grammar/rules/core.hpp"
#include "grammar/rules/literal.hpp"

namespace smtpspec::grammar::rules
{

namespace internal
{
/// "EHLO", case-insensitive.
struct verb_ehlo : istring<'E', 'H', 'L', 'O'> {};
/// "HELO", case-insensitive.
struct verb_helo : istring<'H', 'E', 'L', 'O'> {};
/// "MAIL", case-insensitive.
struct verb_mail : istring<'M', 'A', 'I', 'L'> {};
/// "RCPT", case-insensitive.
struct verb_rcpt : istring<'R', 'C', 'P', 'T'> {};
/// "DATA", case-insensitive.
struct verb_data : istring<'D', 'A', 'T', 'A'> {};
/// "RSET", case-insensitive.
struct verb_rset : istring<'R', 'S', 'E', 'T'> {};
/// "VRFY", case-insensitive.
struct verb_vrfy : istring<'V', 'R', 'F', 'Y'> {};
/// "EXPN", case-insensitive.
struct verb_expn : istring<'E', 'X', 'P', 'N'> {};
/// "HELP", case-insensitive.
struct verb_help : istring<'H', 'E', 'L', 'P'> {};
/// "NOOP", case-insensitive.
struct verb_noop : istring<'N', 'O', 'O', 'P'> {};
/// "QUIT", case-insensitive.
struct verb_quit : istring<'Q', 'U', 'I', 'T'> {};

/**
 * The literal "MAIL FROM:" of 4.1.1.2, split at its space so that an error
 * after "MAIL " is reported at the octet where it occurs. The space is %x20,
 * i.e. SP, so the language is that of the single quoted string.
 */
struct mail_from : seq<verb_mail, SP, istring<'F', 'R', 'O', 'M', ':'>> {};

/// The literal "RCPT TO:" of 4.1.1.3, split like mail_from.
struct rcpt_to : seq<verb_rcpt, SP, istring<'T', 'O', ':'>> {};

/// "<Postmaster@" Domain ">" of 4.1.1.3 ("Postmaster" is case-insensitive there).
struct postmaster_at_domain
    : seq<istring<'<', 'P', 'o', 's', 't', 'm', 'a', 's', 't', 'e', 'r', '@'>, Domain,
          one<'>'>> {};

/// "<Postmaster>" of 4.1.1.3.
struct bare_postmaster
    : istring<'<', 'P', 'o', 's', 't', 'm', 'a', 's', 't', 'e', 'r', '>'> {};
}  // namespace internal

/// RFC 5321 4.1.1.1: ehlo = "EHLO" SP ( Domain / address-literal ) CRLF
struct ehlo : seq<internal::verb_ehlo, SP, sor<Domain, address_literal>, CRLF> {};

/// RFC 5321 4.1.1.1: helo = "HELO" SP Domain CRLF
struct helo : seq<internal::verb_helo, SP, Domain, CRLF> {};

/// RFC 5321 4.1.1.2: mail = "MAIL FROM:" Reverse-path [SP Mail-parameters] CRLF
struct mail : seq<internal::mail_from, Reverse_path, opt<SP, Mail_parameters>, CRLF> {};

/**
 * RFC 5321 4.1.1.3: rcpt = "RCPT TO:" ( "<Postmaster@" Domain ">" / "<Postmaster>" /
 * Forward-path ) [SP Rcpt-parameters] CRLF
 *
 * "<Postmaster@" Domain ">" is also a Forward-path and consumes the same octets,
 * so choosing it first never changes what the rest of the line must be.
 */
struct rcpt : seq<internal::rcpt_to,
                  sor<internal::postmaster_at_domain, internal::bare_postmaster, Forward_path>,
                  opt<SP, Rcpt_parameters>,
                  CRLF> {};

/// RFC 5321 4.1.1.4: data = "DATA" CRLF
struct data : seq<internal::verb_data, CRLF> {};

/// RFC 5321 4.1.1.5: rset = "RSET" CRLF
struct rset : seq<internal::verb_rset, CRLF> {};

/// RFC 5321 4.1.1.6: vrfy = "VRFY" SP String CRLF
struct vrfy : seq<internal::verb_vrfy, SP, String, CRLF> {};

/// RFC 5321 4.1.1.7: expn = "EXPN" SP String CRLF
struct expn : seq<internal::verb_expn, SP, String, CRLF> {};

/// RFC 5321 4.1.1.8: help = "HELP" [ SP String ] CRLF
struct help : seq<internal::verb_help, opt<SP, String>, CRLF> {};

/// RFC 5321 4.1.1.9: noop = "NOOP" [ SP String ] CRLF
struct noop : seq<internal::verb_noop, opt<SP, String>, CRLF> {};

/// RFC 5321 4.1.1.10: quit = "QUIT" CRLF
struct quit : seq<internal::verb_quit, CRLF> {};

}  // namespace smtpspec::grammar::rules

#endif  // SMTPSPEC_GRAMMAR_RULES_COMMAND_HPP
