// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_GRAMMAR_RULES_RFC5322_HPP
#define SMTPSPEC_GRAMMAR_RULES_RFC5322_HPP

// The rules of RFC 5322 that the trace fields of RFC 5321 4.4 use: FWS, CFWS
// and comments, date-time, and msg-id (atext is in address.hpp).
//
// Obsolete syntax (RFC 5322 4): the obs- alternatives of FWS, ctext,
// quoted-pair and dtext are included, since a receiver meets them in real
// header fields. Those of date-time are left out because RFC 5321 4.4 forbids
// them in SMTP (R-4.4-29). obs-id-left and obs-id-right are left out too: they
// would import RFC 5322's whole obsolete addr-spec, and a Received line is
// written by an SMTP server, which has no reason to produce them.

#include "grammar/rules/address.hpp"
#include "grammar/rules/core.hpp"

namespace smtpspec::grammar::rules
{

/// RFC 5322 4.1: obs-NO-WS-CTL = %d1-8 / %d11 / %d12 / %d14-31 / %d127
struct obs_NO_WS_CTL : ranges<1, 8, 11, 12, 14, 31, 127> {};

/// RFC 5322 4.2: obs-FWS = 1*WSP *(CRLF 1*WSP)
struct obs_FWS : seq<plus<WSP>, star<CRLF, plus<WSP>>> {};

/**
 * RFC 5322 3.2.2: FWS = ([*WSP CRLF] 1*WSP) / obs-FWS
 *
 * Reordered: the first alternative matches a proper prefix of obs-FWS when
 * there is more than one fold (" \r\n \r\n "). With obs-FWS first, the rule
 * always takes the longest FWS, and what follows FWS in every rule here never
 * starts with WSP or with CRLF WSP, so no shorter match was needed.
 */
struct FWS : sor<obs_FWS, seq<opt<star<WSP>, CRLF>, plus<WSP>>> {};

/// RFC 5322 4.1: obs-ctext = obs-NO-WS-CTL
struct obs_ctext : obs_NO_WS_CTL {};

/// RFC 5322 3.2.2: ctext = %d33-39 / %d42-91 / %d93-126 / obs-ctext
struct ctext : sor<ranges<33, 39, 42, 91, 93, 126>, obs_ctext> {};

/// RFC 5322 4.1: obs-qp = "\" (%d0 / obs-NO-WS-CTL / LF / CR)
struct obs_qp : seq<one<'\\'>, sor<one<'\0'>, obs_NO_WS_CTL, LF, CR>> {};

/// RFC 5322 3.2.1: quoted-pair = ("\" (VCHAR / WSP)) / obs-qp
struct quoted_pair : sor<seq<one<'\\'>, sor<VCHAR, WSP>>, obs_qp> {};

struct comment;

/// RFC 5322 3.2.2: ccontent = ctext / quoted-pair / comment
struct ccontent : sor<ctext, quoted_pair, comment> {};

/**
 * RFC 5322 3.2.2: comment = "(" *([FWS] ccontent) [FWS] ")"
 *
 * A repetition step that takes FWS and then finds ")" fails as a whole and is
 * given back, so the final [FWS] ")" still matches.
 */
struct comment : seq<one<'('>, star<opt<FWS>, ccontent>, opt<FWS>, one<')'>> {};

/// RFC 5322 3.2.2: CFWS = (1*([FWS] comment) [FWS]) / FWS
struct CFWS : sor<seq<plus<opt<FWS>, comment>, opt<FWS>>, FWS> {};

/// RFC 5322 3.2.3: dot-atom-text = 1*atext *("." 1*atext)
struct dot_atom_text : seq<plus<atext>, star<one<'.'>, plus<atext>>> {};

/// RFC 5322 3.3: day-name = "Mon" / "Tue" / "Wed" / "Thu" / "Fri" / "Sat" / "Sun"
struct day_name : sor<istring<'M', 'o', 'n'>, istring<'T', 'u', 'e'>, istring<'W', 'e', 'd'>,
                      istring<'T', 'h', 'u'>, istring<'F', 'r', 'i'>, istring<'S', 'a', 't'>,
                      istring<'S', 'u', 'n'>> {};

/// RFC 5322 3.3: day-of-week = ([FWS] day-name) / obs-day-of-week (obs- form not in SMTP)
struct day_of_week : seq<opt<FWS>, day_name> {};

/// RFC 5322 3.3: day = ([FWS] 1*2DIGIT FWS) / obs-day (obs- form not in SMTP)
struct day : seq<opt<FWS>, DIGIT, opt<DIGIT>, FWS> {};

/**
 * RFC 5322 3.3: month = "Jan" / "Feb" / "Mar" / "Apr" / "May" / "Jun" / "Jul" / "Aug" /
 * "Sep" / "Oct" / "Nov" / "Dec"
 */
struct month : sor<istring<'J', 'a', 'n'>, istring<'F', 'e', 'b'>, istring<'M', 'a', 'r'>,
                   istring<'A', 'p', 'r'>, istring<'M', 'a', 'y'>, istring<'J', 'u', 'n'>,
                   istring<'J', 'u', 'l'>, istring<'A', 'u', 'g'>, istring<'S', 'e', 'p'>,
                   istring<'O', 'c', 't'>, istring<'N', 'o', 'v'>, istring<'D', 'e', 'c'>> {};

/// RFC 5322 3.3: year = (FWS 4*DIGIT FWS) / obs-year (obs- form not in SMTP)
struct year : seq<FWS, rep<4, DIGIT>, star<DIGIT>, FWS> {};

/// RFC 5322 3.3: date = day month year
struct date : seq<day, month, year> {};

/// RFC 5322 3.3: hour = 2DIGIT / obs-hour (obs- form not in SMTP)
struct hour : rep<2, DIGIT> {};

/// RFC 5322 3.3: minute = 2DIGIT / obs-minute (obs- form not in SMTP)
struct minute : rep<2, DIGIT> {};

/// RFC 5322 3.3: second = 2DIGIT / obs-second (obs- form not in SMTP)
struct second : rep<2, DIGIT> {};

/// RFC 5322 3.3: time-of-day = hour ":" minute [ ":" second ]
struct time_of_day : seq<hour, one<':'>, minute, opt<one<':'>, second>> {};

/// RFC 5322 3.3: zone = (FWS ( "+" / "-" ) 4DIGIT) / obs-zone (obs- form not in SMTP)
struct zone : seq<FWS, one<'+', '-'>, rep<4, DIGIT>> {};

/// RFC 5322 3.3: time = time-of-day zone
struct time : seq<time_of_day, zone> {};

/// RFC 5322 3.3: date-time = [ day-of-week "," ] date time [CFWS]
struct date_time : seq<opt<day_of_week, one<','>>, date, time, opt<CFWS>> {};

/// RFC 5322 4.4: obs-dtext = obs-NO-WS-CTL / quoted-pair
struct obs_dtext : sor<obs_NO_WS_CTL, quoted_pair> {};

/// RFC 5322 3.4.1: dtext = %d33-90 / %d94-126 / obs-dtext
struct dtext : sor<ranges<33, 90, 94, 126>, obs_dtext> {};

/// RFC 5322 3.6.4: no-fold-literal = "[" *dtext "]"
struct no_fold_literal : seq<one<'['>, star<dtext>, one<']'>> {};

/// RFC 5322 3.6.4: id-left = dot-atom-text / obs-id-left (obs- form not included)
struct id_left : dot_atom_text {};

/// RFC 5322 3.6.4: id-right = dot-atom-text / no-fold-literal / obs-id-right (obs- form
/// not included)
struct id_right : sor<dot_atom_text, no_fold_literal> {};

/// RFC 5322 3.6.4: msg-id = [CFWS] "<" id-left "@" id-right ">" [CFWS]
struct msg_id : seq<opt<CFWS>, one<'<'>, id_left, one<'@'>, id_right, one<'>'>, opt<CFWS>> {};

}  // namespace smtpspec::grammar::rules

#endif  // SMTPSPEC_GRAMMAR_RULES_RFC5322_HPP
