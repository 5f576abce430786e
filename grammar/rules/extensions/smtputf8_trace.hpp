// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#ifndef SMTPSPEC_GRAMMAR_RULES_EXTENSIONS_SMTPUTF8_TRACE_HPP
#define SMTPSPEC_GRAMMAR_RULES_EXTENSIONS_SMTPUTF8_TRACE_HPP

// RFC 6531 3.7.3: with SMTPUTF8, the trace fields of RFC 5321 4.4 are read
// with the Mailbox and Domain of RFC 6531 3.3, so a Return-Path may hold a
// UTF-8 reverse-path and a Received field UTF-8 mailboxes and U-labels.
// 3.3's "atext =/ UTF8-non-ascii" also reaches every Atom of 4.4 (Link,
// Protocol, ID, the registered clauses). As in smtputf8.hpp, each 4.4 rule
// above an extended one is repeated here with the same name, built on the
// extended rules; the parts that PEG needs help with are the templates of
// trace.hpp, shared. What stays ASCII: FWS, comments, msg-id and date-time
// (RFC 5322; RFC 6532 3.2 widens some of them in message headers, which is
// not transcribed here) and address-literal.

#include "grammar/rules/extensions/smtputf8.hpp"
#include "grammar/rules/trace.hpp"

namespace smtpspec::grammar::rules::smtputf8
{

/// RFC 5321 4.4 with RFC 6531: Return-path-line = "Return-Path:" FWS Reverse-path \<CRLF\>
struct Return_path_line
    : seq<istring<'R', 'e', 't', 'u', 'r', 'n', '-', 'P', 'a', 't', 'h', ':'>, FWS, Reverse_path,
          CRLF> {};

/// RFC 5321 4.4 with RFC 6531: TCP-info = address-literal / ( Domain FWS address-literal )
struct TCP_info : sor<address_literal, seq<Domain, FWS, address_literal>> {};

/// RFC 5321 4.4 with RFC 6531: Extended-Domain, on the Domain of RFC 6531 3.3
/// (reordered as rules::Extended_Domain is).
struct Extended_Domain : rules::internal::extended_domain<Domain, TCP_info> {};

/// RFC 5321 4.4 with RFC 6531: From-domain = "FROM" FWS Extended-Domain
struct From_domain : seq<istring<'F', 'R', 'O', 'M'>, FWS, Extended_Domain> {};

/// RFC 5321 4.4 with RFC 6531: By-domain = CFWS "BY" FWS Extended-Domain
struct By_domain : seq<CFWS, istring<'B', 'Y'>, FWS, Extended_Domain> {};

/// RFC 5321 4.4 with RFC 6531: Addtl-Link = Atom
struct Addtl_Link : Atom {};

/// RFC 5321 4.4 with RFC 6531: Link = "TCP" / Addtl-Link ("TCP" only as a whole Atom)
struct Link : sor<rules::internal::whole_atom<atext, 'T', 'C', 'P'>, Addtl_Link> {};

/// RFC 5321 4.4 with RFC 6531: Attdl-Protocol = Atom
struct Attdl_Protocol : Atom {};

/**
 * RFC 5321 4.4 with RFC 6531: Protocol = "ESMTP" / "SMTP" / Attdl-Protocol
 *
 * RFC 6531 3.7.3 and 4.3 name the values of a session with SMTPUTF8
 * (UTF8SMTP, UTF8SMTPA, UTF8SMTPS, UTF8SMTPSA and the LMTP ones); they are
 * Attdl-Protocols, as in rules::Protocol.
 */
struct Protocol : sor<rules::internal::whole_atom<atext, 'E', 'S', 'M', 'T', 'P'>,
                      rules::internal::whole_atom<atext, 'S', 'M', 'T', 'P'>, Attdl_Protocol> {};

/// RFC 5321 4.4 with RFC 6531: Via = CFWS "VIA" FWS Link
struct Via : seq<CFWS, istring<'V', 'I', 'A'>, FWS, Link> {};

/// RFC 5321 4.4 with RFC 6531: With = CFWS "WITH" FWS Protocol
struct With : seq<CFWS, istring<'W', 'I', 'T', 'H'>, FWS, Protocol> {};

/// RFC 5321 4.4 with RFC 6531: ID = CFWS "ID" FWS ( Atom / msg-id ) (as rules::ID)
struct ID : rules::internal::id<Atom> {};

/// RFC 5321 4.4 with RFC 6531: For = CFWS "FOR" FWS ( Path / Mailbox )
struct For : seq<CFWS, istring<'F', 'O', 'R'>, FWS, sor<Path, Mailbox>> {};

/// RFC 5321 4.4 with RFC 6531, as corrected by verified erratum 1683:
/// Additional-Registered-Clauses = 1*( CFWS Atom FWS String )
struct Additional_Registered_Clauses : plus<CFWS, Atom, FWS, String> {};

namespace internal
{
/// The rules above, for the templates of trace.hpp.
struct trace_parts
{
    using Atom = smtputf8::Atom;                ///< 4.1.2 with RFC 6531 3.3
    using Path = smtputf8::Path;                ///< 4.1.2 with RFC 6531 3.3
    using Mailbox = smtputf8::Mailbox;          ///< 4.1.2 with RFC 6531 3.3
    using Via = smtputf8::Via;                  ///< 4.4 with RFC 6531
    using With = smtputf8::With;                ///< 4.4 with RFC 6531
    using For = smtputf8::For;                  ///< 4.4 with RFC 6531
    using From_domain = smtputf8::From_domain;  ///< 4.4 with RFC 6531
    using By_domain = smtputf8::By_domain;      ///< 4.4 with RFC 6531
};
}  // namespace internal

/// RFC 5321 4.4 with RFC 6531: Opt-info = [Via] [With] [ID] [For] [Additional-Registered-Clauses]
struct Opt_info
    : rules::internal::opt_info<internal::trace_parts, Additional_Registered_Clauses,
                                rules::internal::clauses_rest<Atom, String>> {};

/// RFC 5321 4.4 with RFC 6531: Stamp = From-domain By-domain Opt-info [CFWS] ";" FWS date-time
struct Stamp : rules::internal::stamp<internal::trace_parts, Opt_info> {};

/// RFC 5321 4.4 with RFC 6531: Time-stamp-line = "Received:" FWS Stamp \<CRLF\>
struct Time_stamp_line
    : seq<istring<'R', 'e', 'c', 'e', 'i', 'v', 'e', 'd', ':'>, FWS, Stamp, CRLF> {};

}  // namespace smtpspec::grammar::rules::smtputf8

#endif  // SMTPSPEC_GRAMMAR_RULES_EXTENSIONS_SMTPUTF8_TRACE_HPP
