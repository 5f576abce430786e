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

namespace internal
{
/**
 * FWS [FWS] (or FWS and the FWS a CFWS may be) as one match. FWS is either
 * obs-FWS, which starts with WSP and may hold any number of folds, or one fold
 * CRLF 1*WSP. PEG's FWS takes all the WSP after a CRLF, so when an FWS that
 * starts with CRLF is followed by one that is an obs-FWS (CRLF HTAB, then
 * SP CRLF SP CRLF SP), the second is left with a CRLF in front and fails. Two FWS
 * in a row are: an obs-FWS; CRLF, two or more WSP, then any folds; or two
 * folds; and one FWS is among these. What follows is never WSP or CRLF, so
 * taking the longest match is exact. Found by the corpus generator: Stamp's
 * ";" FWS before a day-of-week or day that has its own [FWS], and ID's FWS
 * before a msg-id that starts with [CFWS].
 */
struct fws_fws : sor<obs_FWS, seq<CRLF, WSP, plus<WSP>, star<CRLF, plus<WSP>>>,
                     seq<CRLF, plus<WSP>, CRLF, plus<WSP>>, seq<CRLF, plus<WSP>>> {};

/// The rest of a CFWS after FWS: comments, FWS between them, and a last [FWS].
struct cfws_after_fws : seq<comment, star<opt<FWS>, comment>, opt<FWS>> {};

/// msg-id after fws_fws: the rest of its leading [CFWS], then "<" ... ">", without
/// its trailing [CFWS].
struct msg_id_after_fws
    : seq<opt<cfws_after_fws>, one<'<'>, id_left, one<'@'>, id_right, one<'>'>> {};
}  // namespace internal

/**
 * RFC 5321 4.4: ID = CFWS "ID" FWS ( Atom / msg-id )
 *
 * msg-id starts with [CFWS]; the FWS before it and that CFWS are matched
 * together (internal::fws_fws), since PEG would split two FWS in a row wrongly.
 */
struct ID
    : seq<CFWS, istring<'I', 'D'>,
          sor<seq<FWS, Atom>, seq<internal::fws_fws, internal::msg_id_after_fws, opt<CFWS>>>> {};

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
 * [CFWS] CFWS as one match: comments, and runs of white space between and
 * around them that are each one FWS, except that one run may be two FWS
 * (fws_fws): the run where the first CFWS ends and the second begins.
 */
struct cfws_cfws : seq<at<sor<WSP, CRLF, one<'('>>>, star<opt<FWS>, comment>, opt<fws_fws>,
                       star<comment, opt<FWS>>> {};

/// ID with an Atom: CFWS "ID" FWS Atom.
struct id_atom_clause : seq<CFWS, istring<'I', 'D'>, FWS, Atom> {};

/// ID with a msg-id, without the msg-id's trailing [CFWS]: CFWS "ID" FWS msg-id.
struct id_msg_id_clause : seq<CFWS, istring<'I', 'D'>, fws_fws, msg_id_after_fws> {};

/**
 * What may follow an ID clause with a msg-id, whose trailing [CFWS] is taken
 * together with the CFWS that begins the next clause (cfws_cfws): For and the
 * registered clauses, the registered clauses (Rest: the first one without its
 * CFWS, then the others), the end of the input after a [CFWS], or the [CFWS]
 * of Stamp before ";"; or nothing (what follows is then not Opt-info's).
 */
template <typename Clauses, typename Rest>
struct after_msg_id
    : sor<seq<cfws_cfws, istring<'F', 'O', 'R'>, FWS, sor<Path, Mailbox>, opt<Clauses>>,
          seq<cfws_cfws, Rest>, seq<opt<CFWS>, eof>, seq<opt<cfws_cfws>, at<one<';'>>>,
          success> {};

/// The parts of Opt-info, with a given last clause (corrected or as printed).
template <typename Clauses, typename Rest>
struct opt_info
    : seq<opt<Via>, opt<With>,
          sor<seq<id_msg_id_clause, after_msg_id<Clauses, Rest>>,
              seq<opt<id_atom_clause>, opt<For>, opt<Clauses>>>> {};

/// The registered clauses after the CFWS of the first: Atom FWS String, then more clauses.
struct clauses_rest : seq<Atom, FWS, String, star<CFWS, Atom, FWS, String>> {};

/// The one registered clause of the RFC as printed, after its CFWS.
struct clause_rest_as_printed : seq<Atom, FWS, String> {};

/// The part of Stamp, with a given Opt-info.
/// fws_fws stands for ";" FWS and date-time's leading [FWS], which therefore must be empty.
template <typename Info>
struct stamp : seq<From_domain, By_domain, Info, opt<CFWS>, one<';'>, fws_fws,
                   not_at<sor<WSP, CRLF>>, date_time> {};
}  // namespace internal

/**
 * RFC 5321 4.4: Opt-info = [Via] [With] [ID] [For] [Additional-Registered-Clauses]
 *
 * ID may end in a msg-id, whose optional trailing CFWS is followed by the
 * CFWS that For or a registered clause begins with, or by Stamp's [CFWS] ";".
 * PEG would let the first CFWS take all the white space and leave the second
 * nothing, or split a run of folds where the second cannot go on. So after a
 * msg-id both are matched as one (internal::after_msg_id), and the clause
 * that follows is matched without its own CFWS. Found by the corpus
 * generator: " ID <a@b> (c)" at the end, and a msg-id followed by folds such
 * as CRLF HTAB SP CRLF SP CRLF SP before "FOR", were refused.
 */
struct Opt_info : internal::opt_info<Additional_Registered_Clauses, internal::clauses_rest> {};

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
struct Opt_info
    : internal::opt_info<Additional_Registered_Clauses, internal::clause_rest_as_printed> {};

/// RFC 5321 4.4: Stamp, with the printed Additional-Registered-Clauses.
struct Stamp : internal::stamp<Opt_info> {};

/// RFC 5321 4.4: Time-stamp-line, with the printed Additional-Registered-Clauses.
struct Time_stamp_line
    : seq<istring<'R', 'e', 'c', 'e', 'i', 'v', 'e', 'd', ':'>, FWS, Stamp, CRLF> {};
}  // namespace as_printed

}  // namespace smtpspec::grammar::rules

#endif  // SMTPSPEC_GRAMMAR_RULES_TRACE_HPP
