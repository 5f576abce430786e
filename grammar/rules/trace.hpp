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

namespace internal
{
/// Extended-Domain's three forms, built on a given Domain and TCP-info (RFC 5321's or RFC 6531's).
template <typename Domain, typename TCP_info>
struct extended_domain
    : sor<seq<Domain, FWS, one<'('>, TCP_info, one<')'>, at<sor<WSP, CRLF, one<'(', ';'>, eof>>>,
          Domain, seq<address_literal, FWS, one<'('>, TCP_info, one<')'>>> {};

/// A keyword of Link or Protocol, taken only as a whole Atom of the given atext.
template <typename Atext, char... Keyword>
struct whole_atom : seq<istring<Keyword...>, not_at<Atext>> {};
}  // namespace internal

/**
 * RFC 5321 4.4: Extended-Domain = a Domain alone, or a Domain or an
 * address-literal followed by folding white space and a parenthesised
 * TCP-info.
 *
 * Reordered: Domain alone is a prefix of the second alternative, so that one
 * is tried first. "(" TCP-info ")" may also be read as a comment in the CFWS
 * that always follows an Extended-Domain (before "BY", a clause or ";"). When
 * ")" is directly followed by a keyword, only the comment reading can go on,
 * so the TCP-info reading is taken only when a CFWS or ";" (or, for the rule
 * on its own, the end of the input) can follow it.
 */
struct Extended_Domain : internal::extended_domain<Domain, TCP_info> {};

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
struct Link : sor<internal::whole_atom<atext, 'T', 'C', 'P'>, Addtl_Link> {};

/// RFC 5321 4.4: Attdl-Protocol = Atom
struct Attdl_Protocol : Atom {};

/**
 * RFC 5321 4.4: Protocol = "ESMTP" / "SMTP" / Attdl-Protocol
 *
 * As for Link, the names are taken only as whole Atoms ("ESMTPS", "ESMTPSA"
 * and "SMTPUTF8" are Attdl-Protocols).
 */
struct Protocol : sor<internal::whole_atom<atext, 'E', 'S', 'M', 'T', 'P'>,
                      internal::whole_atom<atext, 'S', 'M', 'T', 'P'>, Attdl_Protocol> {};

/// RFC 5321 4.4: Via = CFWS "VIA" FWS Link
struct Via : seq<CFWS, istring<'V', 'I', 'A'>, FWS, Link> {};

/// RFC 5321 4.4: With = CFWS "WITH" FWS Protocol
struct With : seq<CFWS, istring<'W', 'I', 'T', 'H'>, FWS, Protocol> {};

namespace internal
{
/**
 * FWS [FWS] as one match: the ABNF puts two FWS side by side after ";" in
 * Stamp (date-time may start with FWS) and after "ID" (msg-id may start with
 * CFWS). PEG's FWS takes every WSP after a CRLF, so a first FWS of one fold
 * (CRLF HTAB) would leave the second, an obs-FWS such as SP CRLF SP CRLF SP,
 * starting with a CRLF that no FWS can begin a second fold with. Two FWS in a
 * row are an obs-FWS; a CRLF with two or more WSP, then any folds; or two
 * folds; and one FWS is among these. The alternatives are tried longest
 * language first, and each takes the longest run it can.
 */
struct fws_fws : sor<obs_FWS, seq<CRLF, WSP, plus<WSP>, star<CRLF, plus<WSP>>>,
                     seq<CRLF, plus<WSP>, CRLF, plus<WSP>>, seq<CRLF, plus<WSP>>> {};

/// What a CFWS may hold after its first FWS: comments with FWS between, and an FWS after.
struct cfws_after_fws : seq<comment, star<opt<FWS>, comment>, opt<FWS>> {};

/// msg-id after fws_fws: the rest of its leading [CFWS], then "<" id-left "@" id-right ">".
struct msg_id_after_fws
    : seq<opt<cfws_after_fws>, one<'<'>, id_left, one<'@'>, id_right, one<'>'>> {};

/// ID with a given Atom: ID's FWS and a msg-id's leading FWS as one (fws_fws).
template <typename Atom>
struct id : seq<CFWS, istring<'I', 'D'>,
                sor<seq<FWS, Atom>, seq<fws_fws, msg_id_after_fws, opt<CFWS>>>> {};
}  // namespace internal

/**
 * RFC 5321 4.4: ID = CFWS "ID" FWS ( Atom / msg-id )
 *
 * msg-id starts with [CFWS]: ID's FWS and the FWS that CFWS may start with are
 * matched as one (internal::fws_fws), since PEG would split them wrongly.
 * ID's FWS before an Atom is one FWS.
 */
struct ID : internal::id<Atom> {};

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
/**
 * [CFWS] CFWS as one match: comments with runs of white space between and
 * around them, each one FWS, except that one run may be two FWS (fws_fws),
 * the run where the first CFWS ends and the second begins. It may not be
 * empty, since the second CFWS may not.
 */
struct cfws_cfws : seq<at<sor<WSP, CRLF, one<'('>>>, star<opt<FWS>, comment>, opt<fws_fws>,
                       star<comment, opt<FWS>>> {};

/// ID with an Atom: CFWS "ID" FWS Atom.
template <typename Atom>
struct id_atom_clause : seq<CFWS, istring<'I', 'D'>, FWS, Atom> {};

/// ID with a msg-id, without the msg-id's trailing [CFWS]: CFWS "ID" FWS msg-id.
struct id_msg_id_clause : seq<CFWS, istring<'I', 'D'>, fws_fws, msg_id_after_fws> {};

/**
 * What follows an ID clause whose msg-id has been matched without its
 * trailing [CFWS]. That [CFWS] is followed by the CFWS that begins For or a
 * registered clause, or, in Stamp, by the [CFWS] before ";": the two are
 * matched as one (cfws_cfws), and the clause after it without its own CFWS
 * (Rest: the first registered clause without its CFWS, then any others).
 * Otherwise only the msg-id's own [CFWS] is taken, which is where Opt-info
 * ends on its own. Parts names the rules of For (see trace_parts).
 */
template <typename Parts, typename Clauses, typename Rest>
struct after_msg_id
    : sor<seq<cfws_cfws, istring<'F', 'O', 'R'>, FWS,
              sor<typename Parts::Path, typename Parts::Mailbox>, opt<Clauses>>,
          seq<cfws_cfws, Rest>, seq<cfws_cfws, at<one<';'>>>, opt<CFWS>> {};

/// The parts of Opt-info, of the clause rules Parts, with a given last clause
/// (corrected or as printed).
template <typename Parts, typename Clauses, typename Rest>
struct opt_info
    : seq<opt<typename Parts::Via>, opt<typename Parts::With>,
          sor<seq<id_msg_id_clause, after_msg_id<Parts, Clauses, Rest>>,
              seq<opt<id_atom_clause<typename Parts::Atom>>, opt<typename Parts::For>,
                  opt<Clauses>>>> {};

/// The registered clauses after the CFWS of the first: Atom FWS String, then more clauses.
template <typename Atom, typename String>
struct clauses_rest : seq<Atom, FWS, String, star<CFWS, Atom, FWS, String>> {};

/// The one registered clause of the RFC as printed, after its CFWS.
struct clause_rest_as_printed : seq<Atom, FWS, String> {};

/**
 * date-time (RFC 5322 3.3) after Stamp's ";" FWS, which fws_fws matched
 * together with the [FWS] that date-time starts with: the one of day-of-week,
 * or, without a day-of-week, the one of day. So here neither has it:
 * day-name "," date time [CFWS], or day's 1*2DIGIT FWS, then month year time
 * [CFWS]. (A look-ahead forbidding white space after fws_fws would say the
 * same, but would leave day-of-week's FWS a part of Stamp that no string can
 * take, which the corpus generator counts as never covered.)
 */
struct date_time_after_fws
    : sor<seq<day_name, one<','>, date, time, opt<CFWS>>,
          seq<DIGIT, opt<DIGIT>, FWS, month, year, time, opt<CFWS>>> {};

/// The part of Stamp, with a given Opt-info: ";" FWS date-time is ";" fws_fws date_time_after_fws.
template <typename Parts, typename Info>
struct stamp : seq<typename Parts::From_domain, typename Parts::By_domain, Info, opt<CFWS>,
                   one<';'>, fws_fws, date_time_after_fws> {};

/**
 * The rules of 4.4 that Opt-info and Stamp are made of, for the templates
 * above: RFC 5321's here, RFC 6531's in extensions/smtputf8_trace.hpp.
 */
struct trace_parts
{
    using Atom = rules::Atom;                ///< 4.1.2
    using Path = rules::Path;                ///< 4.1.2
    using Mailbox = rules::Mailbox;          ///< 4.1.2
    using Via = rules::Via;                  ///< 4.4
    using With = rules::With;                ///< 4.4
    using For = rules::For;                  ///< 4.4
    using From_domain = rules::From_domain;  ///< 4.4
    using By_domain = rules::By_domain;      ///< 4.4
};
}  // namespace internal

/**
 * RFC 5321 4.4: Opt-info = [Via] [With] [ID] [For] [Additional-Registered-Clauses]
 *
 * ID may end in a msg-id, whose [CFWS] is followed by the CFWS that For or a
 * registered clause starts with, or by Stamp's [CFWS] before ";". PEG would
 * let the first take all the white space and leave the second none, or split
 * a run of folds where the second cannot go on; internal::after_msg_id
 * matches both as one.
 */
struct Opt_info : internal::opt_info<internal::trace_parts, Additional_Registered_Clauses,
                                     internal::clauses_rest<Atom, String>> {};

/// RFC 5321 4.4: Stamp = From-domain By-domain Opt-info [CFWS] ";" FWS date-time
struct Stamp : internal::stamp<internal::trace_parts, Opt_info> {};

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
struct Opt_info : internal::opt_info<internal::trace_parts, Additional_Registered_Clauses,
                                     internal::clause_rest_as_printed> {};

/// RFC 5321 4.4: Stamp, with the printed Additional-Registered-Clauses.
struct Stamp : internal::stamp<internal::trace_parts, Opt_info> {};

/// RFC 5321 4.4: Time-stamp-line, with the printed Additional-Registered-Clauses.
struct Time_stamp_line
    : seq<istring<'R', 'e', 'c', 'e', 'i', 'v', 'e', 'd', ':'>, FWS, Stamp, CRLF> {};
}  // namespace as_printed

}  // namespace smtpspec::grammar::rules

#endif  // SMTPSPEC_GRAMMAR_RULES_TRACE_HPP
