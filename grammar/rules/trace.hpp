// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_GRAMMAR_RULES_TRACE_HPP
#define SMTPSPEC_GRAMMAR_RULES_TRACE_HPP

// RFC 5321 4.4: the trace fields a server adds to a message, Return-Path: and
// Received:. FWS, CFWS, date-time and msg-id come from RFC 5322 (rfc5322.hpp).
// The quoted keywords are case-insensitive (RFC 5234 2.3).

#include "grammar/rules/address.hpp"
#include "grammar/rules/core.hpp"
#include "grammar/rules/literal.hpp"
#include "grammar/rules/rfc5322.hpp"

namespace smtpspec::grammar::rules
{

/// RFC 5321 4.4: Return-path-line = "Return-Path:" FWS Reverse-path \<CRLF\>
struct Return_path_line
    : seq<istring<'R', 'e', 't', 'u', 'r', 'n', '-', 'P', 'a', 't', 'h', ':'>, FWS, Reverse_path,
          CRLF> {};

/// RFC 5321 4.4: TCP-info = address-literal / ( Domain FWS address-literal )
struct TCP_info : sor<address_literal, seq<Domain, FWS, address_literal>> {};

/**
 * RFC 5321 4.4: Extended-Domain = Domain / ( Domain FWS "(" TCP-info ")" ) /
 * ( address-literal FWS "(" TCP-info ")" )
 *
 * Reordered: Domain alone is a prefix of the second alternative, so that one
 * is tried first. "(" TCP-info ")" may also be read as a comment in the CFWS
 * that always follows an Extended-Domain (before "BY", a clause or ";"). When
 * ")" is directly followed by a keyword, only the comment reading can go on,
 * so the TCP-info reading is taken only when a CFWS or ";" (or, for the rule
 * on its own, the end of the input) can follow it.
 */
struct Extended_Domain
    : sor<seq<Domain, FWS, one<'('>, TCP_info, one<')'>,
              at<sor<WSP, CRLF, one<'(', ';'>, eof>>>,
          Domain,
          seq<address_literal, FWS, one<'('>, TCP_info, one<')'>>> {};

/// RFC 5321 4.4: From-domain = "FROM" FWS Extended-Domain
struct From_domain : seq<istring<'F', 'R', 'O', 'M'>, FWS, Extended_Domain> {};

/// RFC 5321 4.4: By-domain = CFWS "BY" FWS Extended-Domain
struct By_domain : seq<CFWS, istring<'B', 'Y'>, FWS, Extended_Domain> {};

/// RFC 5321 4.4: Addtl-Link = Atom
struct Addtl_Link : Atom {};

/**
 * RFC 5321 4.4: Link = "TCP" / Addtl-Link
 *
 * "TCP" is taken only as a whole Atom: "TCPX" is an Addtl-Link, which the
 * ordered choice would otherwise never reach.
 */
struct Link : sor<seq<istring<'T', 'C', 'P'>, not_at<atext>>, Addtl_Link> {};

/// RFC 5321 4.4: Attdl-Protocol = Atom
struct Attdl_Protocol : Atom {};

/**
 * RFC 5321 4.4: Protocol = "ESMTP" / "SMTP" / Attdl-Protocol
 *
 * As for Link, the names are taken only as whole Atoms ("ESMTPS", "ESMTPSA"
 * and "SMTPUTF8" are Attdl-Protocols).
 */
struct Protocol : sor<seq<istring<'E', 'S', 'M', 'T', 'P'>, not_at<atext>>,
                      seq<istring<'S', 'M', 'T', 'P'>, not_at<atext>>, Attdl_Protocol> {};

/// RFC 5321 4.4: Via = CFWS "VIA" FWS Link
struct Via : seq<CFWS, istring<'V', 'I', 'A'>, FWS, Link> {};

/// RFC 5321 4.4: With = CFWS "WITH" FWS Protocol
struct With : seq<CFWS, istring<'W', 'I', 'T', 'H'>, FWS, Protocol> {};

/// RFC 5321 4.4: ID = CFWS "ID" FWS ( Atom / msg-id )
struct ID : seq<CFWS, istring<'I', 'D'>, FWS, sor<Atom, msg_id>> {};

/// RFC 5321 4.4: For = CFWS "FOR" FWS ( Path / Mailbox )
struct For : seq<CFWS, istring<'F', 'O', 'R'>, FWS, sor<Path, Mailbox>> {};

/**
 * RFC 5321 4.4, as corrected by verified erratum 1683:
 * Additional-Registered-Clauses = 1*( CFWS Atom FWS String )
 *
 * The RFC as printed allows one clause (CFWS Atom FWS String); see
 * rules::as_printed for that form.
 */
struct Additional_Registered_Clauses : plus<CFWS, Atom, FWS, String> {};

namespace internal
{
/// msg-id without its trailing [CFWS]; see Opt_info.
struct msg_id_without_trailing_cfws
    : seq<opt<CFWS>, one<'<'>, id_left, one<'@'>, id_right, one<'>'>> {};

/// ID whose msg-id takes its trailing [CFWS] only when more CFWS follows; see Opt_info.
struct id_clause : seq<CFWS, istring<'I', 'D'>, FWS,
                       sor<Atom, seq<msg_id_without_trailing_cfws, opt<CFWS, at<CFWS>>>>> {};

/// The parts of Opt-info, with a given last clause (corrected or as printed).
template <typename Clauses>
struct opt_info : seq<opt<Via>, opt<With>, opt<id_clause>, opt<For>, opt<Clauses>> {};

/// The part of Stamp, with a given Opt-info.
template <typename Info>
struct stamp : seq<From_domain, By_domain, Info, opt<CFWS>, one<';'>, FWS, date_time> {};
}  // namespace internal

/**
 * RFC 5321 4.4: Opt-info = [Via] [With] [ID] [For] [Additional-Registered-Clauses]
 *
 * ID ends in a msg-id, whose optional trailing CFWS would, taken greedily, eat
 * the CFWS that For or a further clause must begin with ("ID <a@b> FOR ...").
 * Every clause after ID, and the [CFWS] ";" after Opt-info, starts with CFWS,
 * so here msg-id takes its trailing CFWS only when another CFWS follows it.
 * That second case is needed for text that is two CFWS but not one, such as
 * two folds in a row (CRLF WSP CRLF WSP), which the ABNF splits between
 * msg-id and the next clause.
 */
struct Opt_info : internal::opt_info<Additional_Registered_Clauses> {};

/// RFC 5321 4.4: Stamp = From-domain By-domain Opt-info [CFWS] ";" FWS date-time
struct Stamp : internal::stamp<Opt_info> {};

/// RFC 5321 4.4: Time-stamp-line = "Received:" FWS Stamp \<CRLF\>
struct Time_stamp_line
    : seq<istring<'R', 'e', 'c', 'e', 'i', 'v', 'e', 'd', ':'>, FWS, Stamp, CRLF> {};

/**
 * The trace rules as RFC 5321 prints them, before erratum 1683, so that a
 * linter can tell which reading a Received: line needs.
 */
namespace as_printed
{
/// RFC 5321 4.4 as printed: Additional-Registered-Clauses = CFWS Atom FWS String
struct Additional_Registered_Clauses : seq<CFWS, Atom, FWS, String> {};

/// RFC 5321 4.4: Opt-info, with the printed Additional-Registered-Clauses.
struct Opt_info : internal::opt_info<Additional_Registered_Clauses> {};

/// RFC 5321 4.4: Stamp, with the printed Additional-Registered-Clauses.
struct Stamp : internal::stamp<Opt_info> {};

/// RFC 5321 4.4: Time-stamp-line, with the printed Additional-Registered-Clauses.
struct Time_stamp_line
    : seq<istring<'R', 'e', 'c', 'e', 'i', 'v', 'e', 'd', ':'>, FWS, Stamp, CRLF> {};
}  // namespace as_printed

}  // namespace smtpspec::grammar::rules

#endif  // SMTPSPEC_GRAMMAR_RULES_TRACE_HPP
