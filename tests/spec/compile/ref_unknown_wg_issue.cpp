// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

// Compile-fail check: EMAILCORE issue 117 is not one smtpspec tracks.

#include "spec/ref.hpp"

constexpr smtpspec::spec::ref bad_ref{"4.1.4", {}, {117}};
