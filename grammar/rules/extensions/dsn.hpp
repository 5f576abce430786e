// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_GRAMMAR_RULES_EXTENSIONS_DSN_HPP
#define SMTPSPEC_GRAMMAR_RULES_EXTENSIONS_DSN_HPP

// RFC 3461: the DSN extension's parameters NOTIFY, ORCPT (RCPT), RET and
// ENVID (MAIL), and the xtext encoding of their values.

#include "grammar/rules/core.hpp"

namespace smtpspec::grammar::rules::dsn
{

/// RFC 3461 4: xchar = any ASCII CHAR between "!" (33) and "~" (126) inclusive,
/// except for "+" and "=".
struct xchar : ranges<33, 42, 44, 60, 62, 126> {};

/// RFC 3461 4: hexchar = ASCII "+" immediately followed by two upper case
/// hexadecimal digits
struct hexchar : seq<one<'+'>, rep<2, ranges<'0', '9', 'A', 'F'>>> {};

/// RFC 3461 4: xtext = *( xchar / hexchar )
struct xtext : star<sor<xchar, hexchar>> {};

/// RFC 3461 4.1: notify-list-element = "SUCCESS" / "FAILURE" / "DELAY"
struct notify_list_element
    : sor<istring<'S', 'U', 'C', 'C', 'E', 'S', 'S'>, istring<'F', 'A', 'I', 'L', 'U', 'R', 'E'>,
          istring<'D', 'E', 'L', 'A', 'Y'>> {};

/**
 * RFC 3461 4.1: notify-esmtp-value = "NEVER" / 1\#notify-list-element
 *
 * RFC 822's "1#" list also allows white space and empty elements around the
 * commas; an esmtp-value holds no SP, and RFC 3461 shows only plain
 * comma-separated lists, so this is notify-list-element *("," notify-list-element).
 */
struct notify_esmtp_value
    : sor<istring<'N', 'E', 'V', 'E', 'R'>,
          seq<notify_list_element, star<one<','>, notify_list_element>>> {};

/// RFC 822 3.3 atom, as addr-type uses it: 1*<any CHAR except specials, SPACE and CTLs>.
struct atom
    : plus<ranges<33, 33, 35, 39, 42, 43, 45, 45, 47, 57, 61, 61, 63, 63, 65, 90, 94, 126>> {};

/// RFC 3461 4.2: addr-type = atom
struct addr_type : atom {};

/// RFC 3461 4.2: original-recipient-address = addr-type ";" xtext
struct original_recipient_address : seq<addr_type, one<';'>, xtext> {};

/// RFC 3461 4.2: orcpt-parameter = "ORCPT=" original-recipient-address
struct orcpt_parameter
    : seq<istring<'O', 'R', 'C', 'P', 'T', '='>, original_recipient_address> {};

/// RFC 3461 4.3: the RET value, "FULL" or "HDRS" in any case (no ABNF rule there).
struct ret_value : sor<istring<'F', 'U', 'L', 'L'>, istring<'H', 'D', 'R', 'S'>> {};

/// RFC 3461 4.4: envid-parameter = "ENVID=" xtext
struct envid_parameter : seq<istring<'E', 'N', 'V', 'I', 'D', '='>, xtext> {};

}  // namespace smtpspec::grammar::rules::dsn

#endif  // SMTPSPEC_GRAMMAR_RULES_EXTENSIONS_DSN_HPP
