// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_GRAMMAR_RULES_LITERAL_HPP
#define SMTPSPEC_GRAMMAR_RULES_LITERAL_HPP

// RFC 5321 4.1.3: address literals ("[192.0.2.1]", "[IPv6:2001:db8::1]").
//
// The rules accept exactly the ABNF. Two limits that the RFC states only in
// ABNF comments (Snum is at most 255; IPv6-comp and IPv6v4-comp have at most 6
// and 4 groups besides "::") are not part of the ABNF language; the typed
// parsers in grammar/parse.hpp check them (see address_literal_is_valid()).

#include "grammar/rules/address.hpp"
#include "grammar/rules/core.hpp"

namespace smtpspec::grammar::rules
{

/**
 * RFC 5321 4.1.3: Snum = 1*3DIGIT
 *
 * Written as DIGIT *2DIGIT: PEGTL's rep_min_max would also demand that no
 * fourth digit follows, which the ABNF does not say.
 */
struct Snum : seq<DIGIT, rep_opt<2, DIGIT>> {};

/**
 * RFC 5321 4.1.3: IPv4-address-literal = Snum 3("." Snum)
 *
 * Snum takes up to three digits greedily; a fourth digit is left for the rule
 * that follows, which (in every use) cannot start with a digit, as the ABNF
 * would also not allow.
 */
struct IPv4_address_literal : seq<Snum, rep<3, one<'.'>, Snum>> {};

/// RFC 5321 4.1.3: IPv6-hex = 1*4HEXDIG (written as HEXDIG *3HEXDIG, as for Snum)
struct IPv6_hex : seq<HEXDIG, rep_opt<3, HEXDIG>> {};

/// RFC 5321 4.1.3: IPv6-full = IPv6-hex 7(":" IPv6-hex)
struct IPv6_full : seq<IPv6_hex, rep<7, one<':'>, IPv6_hex>> {};

/**
 * RFC 5321 4.1.3: IPv6-comp = [IPv6-hex *5(":" IPv6-hex)] "::"
 * [IPv6-hex *5(":" IPv6-hex)]
 *
 * In the first group a ":" followed by ":" is not an IPv6-hex, so the group is
 * given back and "::" matches. The ABNF comment's limit of 6 groups in total is
 * checked by the typed parsers.
 */
struct IPv6_comp : seq<opt<IPv6_hex, rep_opt<5, one<':'>, IPv6_hex>>,
                       string<':', ':'>,
                       opt<IPv6_hex, rep_opt<5, one<':'>, IPv6_hex>>> {};

/// RFC 5321 4.1.3: IPv6v4-full = IPv6-hex 5(":" IPv6-hex) ":" IPv4-address-literal
struct IPv6v4_full : seq<IPv6_hex, rep<5, one<':'>, IPv6_hex>, one<':'>, IPv4_address_literal> {};

/**
 * RFC 5321 4.1.3: IPv6v4-comp = [IPv6-hex *3(":" IPv6-hex)] "::"
 * [IPv6-hex *3(":" IPv6-hex) ":"] IPv4-address-literal
 *
 * The second optional group, "[IPv6-hex *3(":" IPv6-hex) ":"]", is the same
 * language as 1*4(IPv6-hex ":"). Written literally in PEG it would fail on
 * "::ffff:192.0.2.1": the repetition would take "ffff:192" as two groups and
 * then miss its ":". Each group here must end in ":", so the digits of the
 * IPv4 part are never taken as a group.
 */
struct IPv6v4_comp : seq<opt<IPv6_hex, rep_opt<3, one<':'>, IPv6_hex>>,
                         string<':', ':'>,
                         rep_opt<4, IPv6_hex, one<':'>>,
                         IPv4_address_literal> {};

/**
 * RFC 5321 4.1.3: IPv6-addr = IPv6-full / IPv6-comp / IPv6v4-full / IPv6v4-comp
 *
 * Reordered: IPv6-comp matches a proper prefix of IPv6v4-comp ("::1" of
 * "::1.2.3.4"), and an ordered choice never comes back to try the later
 * alternatives. The forms ending in an IPv4 address are tried first: they
 * contain a "." and so never match a prefix of a form without one; IPv6-full
 * (eight groups, no "::") never matches a prefix of IPv6-comp. The language
 * is unchanged.
 */
struct IPv6_addr : sor<IPv6v4_full, IPv6v4_comp, IPv6_full, IPv6_comp> {};

/// RFC 5321 4.1.3: IPv6-address-literal = "IPv6:" IPv6-addr
struct IPv6_address_literal : seq<istring<'I', 'P', 'v', '6', ':'>, IPv6_addr> {};

/// RFC 5321 4.1.3: Standardized-tag = Ldh-str
struct Standardized_tag : Ldh_str {};

/// RFC 5321 4.1.3: dcontent = %d33-90 / %d94-126
struct dcontent : ranges<33, 90, 94, 126> {};

/// RFC 5321 4.1.3: General-address-literal = Standardized-tag ":" 1*dcontent
struct General_address_literal : seq<Standardized_tag, one<':'>, plus<dcontent>> {};

/**
 * RFC 5321 4.1.2: address-literal = "[" ( IPv4-address-literal /
 * IPv6-address-literal / General-address-literal ) "]"
 *
 * Each of the first two alternatives must be followed by "]" to be chosen:
 * "IPv6:" is also a valid Standardized-tag, and "[IPv6:::1x]" is a
 * General-address-literal that IPv6-address-literal would otherwise take a
 * prefix of ("IPv6:::1") and then fail on "x" without trying the third.
 */
struct address_literal
    : seq<one<'['>,
          sor<seq<IPv4_address_literal, at<one<']'>>>,
              seq<IPv6_address_literal, at<one<']'>>>,
              General_address_literal>,
          one<']'>> {};

}  // namespace smtpspec::grammar::rules

#endif  // SMTPSPEC_GRAMMAR_RULES_LITERAL_HPP
