// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "corpus/generator.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <bitset>
#include <map>
#include <mutex>

namespace smtpspec::corpus
{

namespace
{

constexpr std::size_t npos = static_cast<std::size_t>(-1);

/// Rule nesting beyond which the walk takes the shortest choices, so recursion ends.
constexpr unsigned shallow_depth = 40;
/// Rule nesting at which a walk gives up.
constexpr unsigned max_depth = 200;
/// Attempts to regenerate a constrained rule's part before giving up on it.
constexpr int part_attempts = 8;
/// Attempts to regenerate a rule whose text made a look-ahead fail.
constexpr int lookahead_attempts = 6;
/// Attempts at a whole sample before generate() gives up.
constexpr int sample_attempts = 64;
/// Rules expanded per attempt at a sample, at most: nested retries stay bounded.
constexpr std::size_t rule_budget = 20000;

/// A set of coverage points.
class point_set
{
public:
    explicit point_set(std::size_t size = 0) : words_((size + 63) / 64, 0) {}

    void resize(std::size_t size) { words_.assign((size + 63) / 64, 0); }
    void set(std::size_t i) { words_[i / 64] |= std::uint64_t{1} << (i % 64); }
    [[nodiscard]] bool test(std::size_t i) const
    {
        return (words_[i / 64] >> (i % 64)) & 1U;
    }
    void clear() { std::ranges::fill(words_, 0); }
    void unite(const point_set& other)
    {
        for (std::size_t i = 0; i < words_.size(); ++i) {
            words_[i] |= other.words_[i];
        }
    }
    /// @return how many points of this set are in neither @p a nor @p b.
    [[nodiscard]] std::size_t count_outside(const point_set& a, const point_set& b) const
    {
        std::size_t n = 0;
        for (std::size_t i = 0; i < words_.size(); ++i) {
            n += static_cast<std::size_t>(std::popcount(words_[i] & ~(a.words_[i] | b.words_[i])));
        }
        return n;
    }
    template <typename F>
    void each(F f) const
    {
        for (std::size_t w = 0; w < words_.size(); ++w) {
            std::uint64_t bits = words_[w];
            while (bits != 0) {
                const int b = std::countr_zero(bits);
                f(w * 64 + static_cast<std::size_t>(b));
                bits &= bits - 1;
            }
        }
    }

private:
    std::vector<std::uint64_t> words_;
};

/// Which repetition bound a point of a repeat node stands for.
enum bound_index : std::size_t
{
    bound_zero,
    bound_one,
    bound_many,
    bound_max,
};

/// What the walk knows about the graph: the same for every generator of a rule_set.
struct analysis
{
    std::vector<coverage_point> points;
    std::vector<std::size_t> first_point;                   // per node: sor's first branch point
    std::vector<std::array<std::size_t, 4>> bound_points;   // per node: repeat's bound points
    std::vector<std::size_t> limit_point;                   // per rule
    std::vector<point_set> reach;                           // per node
    std::vector<point_set> closure;                         // per rule
    std::vector<std::size_t> min_len;                       // per node
    std::vector<std::optional<std::bitset<256>>> charset;   // per node, when it is one octet
    std::vector<std::vector<unsigned char>> members;        // per node with a charset

    explicit analysis(const rule_set& rules);

    /// The limit points no string of @p top can reach (an enclosing limit is smaller).
    const point_set& unreachable(std::size_t top) const;

private:
    std::size_t context_length(const grammar_graph& g, std::size_t inner, std::size_t outer) const;
    std::vector<std::size_t> context_lengths(const grammar_graph& g, std::size_t inner) const;

    const rule_set* rules_ = nullptr;
    std::vector<std::vector<std::size_t>> refs_;  // per rule: rules its body refers to
    mutable std::mutex unreachable_lock_;
    mutable std::map<std::size_t, point_set> unreachable_;
    mutable std::map<std::size_t, std::vector<std::size_t>> contexts_;  // by inner rule

    void number(const rule_set& rules, std::size_t rule, std::size_t n);
    void compute_reach(const grammar_graph& g, std::size_t n);
    std::optional<std::bitset<256>> charset_of(const grammar_graph& g, std::size_t n,
                                               unsigned depth) const;
};

std::string escape(std::string_view text)
{
    std::string out;
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 32 || u > 126) {
            static constexpr char hex[] = "0123456789ABCDEF";
            out += "%x";
            out += hex[u >> 4U];
            out += hex[u & 15U];
        } else {
            out += c;
        }
    }
    return out;
}

/// A short description of a node for coverage labels.
std::string describe(const grammar_graph& g, std::size_t n, unsigned depth = 0)
{
    const node& x = g.nodes[n];
    switch (x.kind) {
    case node_kind::rule:
        return g.rules[x.rule].name;
    case node_kind::literal:
        return '"' + escape(x.text) + '"';
    case node_kind::charset: {
        if (x.chars.count() == 1) {
            for (unsigned c = 0; c < 256; ++c) {
                if (x.chars.test(c)) {
                    return '"' + escape(std::string(1, static_cast<char>(c))) + '"';
                }
            }
        }
        return "octet";
    }
    case node_kind::seq:
    case node_kind::sor: {
        if (depth > 1) {
            return "(...)";
        }
        std::string out = "(";
        for (std::size_t i = 0; i < x.subs.size(); ++i) {
            if (i > 0) {
                out += x.kind == node_kind::seq ? " " : " / ";
            }
            out += describe(g, x.subs[i], depth + 1);
        }
        return out + ")";
    }
    case node_kind::repeat:
        return "*" + describe(g, x.subs[0], depth + 1);
    case node_kind::at:
    case node_kind::not_at:
    case node_kind::empty:
    case node_kind::fail:
        return "";
    }
    return "";
}

analysis::analysis(const rule_set& rules) : rules_(&rules)
{
    const grammar_graph& g = rules.graph();
    const std::size_t nodes = g.nodes.size();
    first_point.assign(nodes, npos);
    bound_points.assign(nodes, {npos, npos, npos, npos});
    limit_point.assign(g.rules.size(), npos);
    for (std::size_t r = 0; r < g.rules.size(); ++r) {
        number(rules, r, g.nodes[g.rules[r].node].subs.at(0));
        if (const auto lim = rules.limit(r); lim && lim->reachable) {
            limit_point[r] = points.size();
            points.push_back({r, point_kind::limit,
                              g.rules[r].name + ": " + std::to_string(lim->octets)
                                  + " octets, the maximum of " + lim->section});
        }
    }

    // Closure of each rule: its own points and those of every rule it reaches.
    std::vector<point_set> own(g.rules.size(), point_set(points.size()));
    for (std::size_t p = 0; p < points.size(); ++p) {
        own[points[p].rule].set(p);
    }
    std::vector<std::vector<std::size_t>> refs(g.rules.size());
    for (std::size_t r = 0; r < g.rules.size(); ++r) {
        std::vector<std::size_t> stack{g.nodes[g.rules[r].node].subs.at(0)};
        while (!stack.empty()) {
            const std::size_t n = stack.back();
            stack.pop_back();
            if (g.nodes[n].kind == node_kind::rule) {
                refs[r].push_back(g.nodes[n].rule);
                continue;
            }
            if (g.nodes[n].kind == node_kind::at || g.nodes[n].kind == node_kind::not_at) {
                continue;
            }
            stack.insert(stack.end(), g.nodes[n].subs.begin(), g.nodes[n].subs.end());
        }
    }
    refs_ = refs;
    closure.assign(g.rules.size(), point_set(points.size()));
    for (std::size_t r = 0; r < g.rules.size(); ++r) {
        std::vector<bool> seen(g.rules.size(), false);
        std::vector<std::size_t> stack{r};
        while (!stack.empty()) {
            const std::size_t x = stack.back();
            stack.pop_back();
            if (seen[x]) {
                continue;
            }
            seen[x] = true;
            closure[r].unite(own[x]);
            stack.insert(stack.end(), refs[x].begin(), refs[x].end());
        }
    }
    reach.assign(nodes, point_set(points.size()));
    for (std::size_t r = 0; r < g.rules.size(); ++r) {
        compute_reach(g, g.nodes[g.rules[r].node].subs.at(0));
        reach[g.rules[r].node] = closure[r];
    }

    // Shortest match of each node, by iterating to a fixed point (rules may recurse).
    constexpr std::size_t infinite = npos / 4;
    min_len.assign(nodes, infinite);
    for (bool changed = true; changed;) {
        changed = false;
        for (std::size_t n = nodes; n-- > 0;) {
            const node& x = g.nodes[n];
            std::size_t len = infinite;
            switch (x.kind) {
            case node_kind::seq:
                len = 0;
                for (const std::size_t s : x.subs) {
                    len = std::min(infinite, len + min_len[s]);
                }
                break;
            case node_kind::sor:
                for (const std::size_t s : x.subs) {
                    len = std::min(len, min_len[s]);
                }
                break;
            case node_kind::repeat:
                len = x.min == 0 ? 0 : std::min(infinite, min_len[x.subs[0]] * x.min);
                break;
            case node_kind::charset:
                len = 1;
                break;
            case node_kind::literal:
                len = x.text.size();
                break;
            case node_kind::rule:
                len = min_len[x.subs.at(0)];
                break;
            case node_kind::at:
            case node_kind::not_at:
            case node_kind::empty:
                len = 0;
                break;
            case node_kind::fail:
                break;
            }
            if (len < min_len[n]) {
                min_len[n] = len;
                changed = true;
            }
        }
    }

    charset.resize(nodes);
    members.resize(nodes);
    for (std::size_t n = 0; n < nodes; ++n) {
        charset[n] = charset_of(g, n, 0);
        if (g.nodes[n].kind == node_kind::charset) {
            for (unsigned c = 0; c < 256; ++c) {
                if (g.nodes[n].chars.test(c)) {
                    members[n].push_back(static_cast<unsigned char>(c));
                }
            }
        } else if (charset[n]) {
            for (unsigned c = 0; c < 256; ++c) {
                if (charset[n]->test(c)) {
                    members[n].push_back(static_cast<unsigned char>(c));
                }
            }
        }
    }
}

void analysis::number(const rule_set& rules, std::size_t rule, std::size_t n)
{
    const grammar_graph& g = rules.graph();
    const node& x = g.nodes[n];
    const std::string& name = g.rules[rule].name;
    // A look-ahead's octets are never generated, so nothing inside it can be covered.
    if (x.kind == node_kind::rule || x.kind == node_kind::at || x.kind == node_kind::not_at) {
        return;
    }
    if (x.kind == node_kind::sor) {
        first_point[n] = points.size();
        for (std::size_t i = 0; i < x.subs.size(); ++i) {
            points.push_back({rule, point_kind::alternative,
                              name + ": alternative " + std::to_string(i + 1) + "/"
                                  + std::to_string(x.subs.size()) + " "
                                  + describe(g, x.subs[i])});
        }
    }
    if (x.kind == node_kind::repeat && x.min != x.max) {
        const std::string what = name + ": " + describe(g, x.subs[0]) + " ";
        const bool bounded = x.max != unbounded;
        if (x.min == 0) {
            bound_points[n][bound_zero] = points.size();
            points.push_back({rule, point_kind::bound, what + "x0"});
        }
        if (x.min <= 1 && x.max >= 1) {
            bound_points[n][bound_one] = points.size();
            points.push_back({rule, point_kind::bound, what + "x1"});
        }
        if (!bounded || x.max > std::max(2U, x.min)) {
            bound_points[n][bound_many] = points.size();
            points.push_back({rule, point_kind::bound, what + "x2+"});
        }
        if (bounded && x.max >= 2) {
            bound_points[n][bound_max] = points.size();
            points.push_back({rule, point_kind::bound, what + "x" + std::to_string(x.max)
                                                           + " (the maximum)"});
        }
    }
    for (const std::size_t s : x.subs) {
        number(rules, rule, s);
    }
}

void analysis::compute_reach(const grammar_graph& g, std::size_t n)
{
    const node& x = g.nodes[n];
    if (x.kind == node_kind::rule) {
        return;  // filled from the rule's closure
    }
    if (first_point[n] != npos) {
        for (std::size_t i = 0; i < x.subs.size(); ++i) {
            reach[n].set(first_point[n] + i);
        }
    }
    for (const std::size_t p : bound_points[n]) {
        if (p != npos) {
            reach[n].set(p);
        }
    }
    for (const std::size_t s : x.subs) {
        if (g.nodes[s].kind == node_kind::rule) {
            reach[n].unite(closure[g.nodes[s].rule]);
        } else {
            compute_reach(g, s);
            reach[n].unite(reach[s]);
        }
    }
}

std::optional<std::bitset<256>> analysis::charset_of(const grammar_graph& g, std::size_t n,
                                                     unsigned depth) const
{
    const node& x = g.nodes[n];
    if (depth > 16) {
        return std::nullopt;
    }
    switch (x.kind) {
    case node_kind::charset:
        return x.chars;
    case node_kind::rule:
        return charset_of(g, x.subs.at(0), depth + 1);
    case node_kind::sor: {
        std::bitset<256> all;
        for (const std::size_t s : x.subs) {
            const auto c = charset_of(g, s, depth + 1);
            if (!c) {
                return std::nullopt;
            }
            all |= *c;
        }
        return all;
    }
    case node_kind::seq:
        if (x.subs.size() == 1) {
            return charset_of(g, x.subs[0], depth + 1);
        }
        return std::nullopt;
    default:
        return std::nullopt;
    }
}

std::size_t analysis::context_length(const grammar_graph& g, std::size_t inner,
                                     std::size_t outer) const
{
    auto it = contexts_.find(inner);
    if (it == contexts_.end()) {
        it = contexts_.emplace(inner, context_lengths(g, inner)).first;
    }
    return it->second[g.rules[outer].node];
}

std::vector<std::size_t> analysis::context_lengths(const grammar_graph& g,
                                                   std::size_t inner) const
{
    // The shortest match of each node that contains a match of rule inner,
    // not counting inner's own octets; a fixed point, as rules may recurse.
    constexpr std::size_t infinite = npos / 4;
    std::vector<std::size_t> ctx(g.nodes.size(), infinite);
    for (bool changed = true; changed;) {
        changed = false;
        for (std::size_t n = g.nodes.size(); n-- > 0;) {
            const node& x = g.nodes[n];
            std::size_t len = infinite;
            switch (x.kind) {
            case node_kind::rule:
                len = x.rule == inner ? 0 : ctx[x.subs.at(0)];
                break;
            case node_kind::seq: {
                std::size_t others = 0;
                for (const std::size_t s : x.subs) {
                    others = std::min(infinite, others + min_len[s]);
                }
                for (const std::size_t s : x.subs) {
                    len = std::min(len, std::min(infinite, others - min_len[s] + ctx[s]));
                }
                break;
            }
            case node_kind::sor:
                for (const std::size_t s : x.subs) {
                    len = std::min(len, ctx[s]);
                }
                break;
            case node_kind::repeat:
                if (x.max >= 1) {
                    const std::size_t more = std::max(x.min, 1U) - 1;
                    len = std::min(infinite, ctx[x.subs[0]] + more * min_len[x.subs[0]]);
                }
                break;
            default:
                break;
            }
            if (len < ctx[n]) {
                ctx[n] = len;
                changed = true;
            }
        }
    }
    return ctx;
}

const point_set& analysis::unreachable(std::size_t top) const
{
    const std::scoped_lock guard(unreachable_lock_);
    if (const auto it = unreachable_.find(top); it != unreachable_.end()) {
        return it->second;
    }
    const grammar_graph& g = rules_->graph();
    point_set out(points.size());
    for (std::size_t inner = 0; inner < g.rules.size(); ++inner) {
        const std::size_t lp = limit_point[inner];
        if (lp == npos || !closure[top].test(lp)) {
            continue;
        }
        const std::size_t size = rules_->limit(inner)->octets;
        // A rule on the way from top to inner whose own limit is smaller than
        // inner's maximum plus what must surround it blocks that way.
        const auto passable = [&](std::size_t r) {
            const auto lim = rules_->limit(r);
            return r == inner || !lim || size + context_length(g, inner, r) <= lim->octets;
        };
        std::vector<bool> seen(g.rules.size(), false);
        std::vector<std::size_t> stack;
        if (passable(top)) {
            stack.push_back(top);
        }
        bool found = false;
        while (!stack.empty() && !found) {
            const std::size_t r = stack.back();
            stack.pop_back();
            if (seen[r]) {
                continue;
            }
            seen[r] = true;
            found = r == inner;
            for (const std::size_t next : refs_[r]) {
                if (!seen[next] && passable(next)) {
                    stack.push_back(next);
                }
            }
        }
        if (!found) {
            out.set(lp);
        }
    }
    return unreachable_.emplace(top, std::move(out)).first->second;
}

/// What a match() read of its text, to tell whether more text could change its result.
struct probe
{
    std::size_t furthest = 0;  ///< One past the furthest octet read (or wanted).
    bool open_end = false;     ///< An octet past the end of the text was wanted.

    void read(std::size_t pos, std::size_t size)
    {
        furthest = std::max(furthest, pos + 1);
        open_end = open_end || pos >= size;
    }
};

/**
 * Matches node @p n at @p pos of @p text as PEGTL would (ordered choice,
 * greedy repetition); used to check the look-aheads of a generated sample.
 * @param seen where the match read; a result that wanted octets past the end
 *        of @p text may change when more text is generated.
 * @return the end of the match, or npos.
 */
std::size_t match(const grammar_graph& g, std::size_t n, std::string_view text, std::size_t pos,
                  probe& seen, unsigned depth = 0)
{
    const node& x = g.nodes[n];
    if (depth > max_depth) {
        return npos;
    }
    switch (x.kind) {
    case node_kind::seq:
        for (const std::size_t s : x.subs) {
            pos = match(g, s, text, pos, seen, depth + 1);
            if (pos == npos) {
                return npos;
            }
        }
        return pos;
    case node_kind::sor:
        for (const std::size_t s : x.subs) {
            if (const std::size_t end = match(g, s, text, pos, seen, depth + 1); end != npos) {
                return end;
            }
        }
        return npos;
    case node_kind::repeat: {
        unsigned count = 0;
        while (count < x.max) {
            const std::size_t end = match(g, x.subs[0], text, pos, seen, depth + 1);
            if (end == npos || (end == pos && count >= x.min)) {
                break;
            }
            pos = end;
            ++count;
        }
        return count >= x.min ? pos : npos;
    }
    case node_kind::charset:
        seen.read(pos, text.size());
        return pos < text.size() && x.chars.test(static_cast<unsigned char>(text[pos])) ? pos + 1
                                                                                       : npos;
    case node_kind::literal: {
        for (std::size_t i = 0; i < x.text.size(); ++i) {
            seen.read(pos + i, text.size());
            if (pos + i >= text.size()) {
                return npos;
            }
            char a = text[pos + i];
            char b = x.text[i];
            if (x.icase) {
                a = a >= 'A' && a <= 'Z' ? static_cast<char>(a + 32) : a;
                b = b >= 'A' && b <= 'Z' ? static_cast<char>(b + 32) : b;
            }
            if (a != b) {
                return npos;
            }
        }
        return pos + x.text.size();
    }
    case node_kind::rule:
        return match(g, x.subs.at(0), text, pos, seen, depth + 1);
    case node_kind::at:
        return match(g, x.subs.at(0), text, pos, seen, depth + 1) != npos ? pos : npos;
    case node_kind::not_at:
        return match(g, x.subs.at(0), text, pos, seen, depth + 1) == npos ? pos : npos;
    case node_kind::empty:
        return pos;
    case node_kind::fail:
        return npos;
    }
    return npos;
}

const analysis& analysis_of(const rule_set& rules)
{
    static std::mutex lock;
    static std::map<const rule_set*, std::unique_ptr<analysis>> cache;
    const std::scoped_lock guard(lock);
    auto& slot = cache[&rules];
    if (!slot) {
        slot = std::make_unique<analysis>(rules);
    }
    return *slot;
}

}  // namespace

struct generator::impl
{
    /// A run of a one-octet repetition that may take more octets (to reach a size limit).
    struct site
    {
        std::size_t pos;                 // where the run ends in out
        std::size_t node;                // the repeat node
        std::size_t count;               // iterations so far
        std::size_t mark;                // index in marks of its bound point, or npos
        std::vector<std::size_t> open;   // spans that contain it
    };
    /// Where a constrained rule's match lies in out.
    struct span
    {
        std::size_t rule;
        std::size_t start;
        std::size_t end;
    };

    const rule_set& rules;
    const analysis& a;
    random_source rng;
    std::vector<std::uint64_t> hits;
    point_set covered;
    point_set pending;
    point_set done;  // covered, or out of reach for the rule being generated
    std::size_t budget = 0;
    std::vector<std::size_t> marks;
    std::string out;
    std::vector<span> spans;
    std::vector<std::size_t> open;
    std::vector<site> sites;
    /// A look-ahead (at, not_at) met while generating.
    struct lookahead
    {
        std::size_t node;       // the at or not_at node
        std::size_t pos;        // where in out it applies
        bool holds = false;     // known to hold, whatever text is added after out
    };
    /// Look-aheads met, in order; checked as soon as the text after them decides
    /// them, and all of them again once the sample is complete.
    std::vector<lookahead> lookaheads;
    /// After a look-ahead failed: one past the furthest octet it read; npos otherwise.
    std::size_t failed_read = npos;
    bool guided = true;
    unsigned depth = 0;

    impl(const rule_set& r, std::uint64_t seed)
        : rules(r)
        , a(analysis_of(r))
        , rng(seed)
        , hits(a.points.size(), 0)
        , covered(a.points.size())
        , pending(a.points.size())
        , done(a.points.size())
    {
    }

    [[nodiscard]] bool hit(std::size_t p) const { return done.test(p) || pending.test(p); }

    [[nodiscard]] std::size_t unhit_below(std::size_t n) const
    {
        return guided ? a.reach[n].count_outside(done, pending) : 0;
    }

    /// Whether this choice follows the guidance; one in four is left to chance,
    /// so that two wishes that cannot hold together do not block each other.
    bool steer() { return guided && !rng.one_in(4); }

    void mark(std::size_t p)
    {
        if (p != npos) {
            marks.push_back(p);
            pending.set(p);
        }
    }

    void rebuild_pending()
    {
        pending.clear();
        for (const std::size_t p : marks) {
            if (p != npos) {
                pending.set(p);
            }
        }
    }

    [[nodiscard]] std::size_t bound_point(const node& x, std::size_t n, std::size_t count) const
    {
        if (x.min == x.max) {
            return npos;
        }
        const auto& b = a.bound_points[n];
        if (count == 0) {
            return b[bound_zero];
        }
        if (count == 1) {
            return b[bound_one];
        }
        if (x.max != unbounded && count == x.max && b[bound_max] != npos) {
            return b[bound_max];
        }
        return b[bound_many];
    }

    std::size_t choose_count(const node& x, std::size_t n)
    {
        const std::size_t lo = x.min;
        const std::size_t hi = x.max == unbounded ? npos : x.max;
        if (lo == hi) {
            return lo;
        }
        if (depth > shallow_depth) {
            return lo;
        }
        const std::size_t many_lo = std::max<std::size_t>(2, lo);
        const std::size_t many_hi = hi == npos ? many_lo + 6 : std::min(hi - 1, many_lo + 6);
        if (steer()) {
            std::vector<std::size_t> wanted;
            for (std::size_t b = 0; b < 4; ++b) {
                if (a.bound_points[n][b] != npos && !hit(a.bound_points[n][b])) {
                    wanted.push_back(b);
                }
            }
            if (!wanted.empty()) {
                switch (wanted[rng.below(wanted.size())]) {
                case bound_zero: return 0;
                case bound_one: return 1;
                case bound_many: return rng.between(many_lo, std::max(many_lo, many_hi));
                default: return hi;
                }
            }
            if (unhit_below(x.subs[0]) > 0) {
                const std::size_t from = std::max<std::size_t>(lo, 1);
                return rng.between(from, std::min(hi, from + 2));
            }
        }
        if (hi != npos && rng.one_in(8)) {
            return hi;
        }
        switch (rng.below(8)) {
        case 0:
        case 1: return lo;
        case 2:
        case 3: return std::min(hi, lo + 1);
        case 7: return rng.between(lo, std::min(hi, lo + 40));
        default: return rng.between(lo, std::min(hi, lo + 6));
        }
    }

    std::size_t choose_branch(const node& x, std::size_t n)
    {
        if (depth > shallow_depth) {
            std::size_t best = 0;
            for (std::size_t i = 1; i < x.subs.size(); ++i) {
                if (a.min_len[x.subs[i]] < a.min_len[x.subs[best]]) {
                    best = i;
                }
            }
            return best;
        }
        if (steer()) {
            std::vector<std::size_t> wanted;
            for (std::size_t i = 0; i < x.subs.size(); ++i) {
                if (!hit(a.first_point[n] + i) || unhit_below(x.subs[i]) > 0) {
                    wanted.push_back(i);
                }
            }
            if (!wanted.empty()) {
                return wanted[rng.below(wanted.size())];
            }
        }
        return rng.below(x.subs.size());
    }

    char pick(std::size_t n)
    {
        const auto& m = a.members[n];
        if (m.empty()) {
            return '\0';
        }
        if (rng.one_in(8)) {
            return static_cast<char>(rng.one_in(2) ? m.front() : m.back());
        }
        return static_cast<char>(m[rng.below(m.size())]);
    }

    void emit_literal(const node& x)
    {
        if (!x.icase) {
            out += x.text;
            return;
        }
        const std::uint64_t style = rng.below(4);
        for (const char c : x.text) {
            const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            if (!letter || style == 0 || style == 1) {
                out += c;
            } else if (style == 2) {
                out += static_cast<char>(c >= 'a' ? c - 32 : c + 32);
            } else {
                out += rng.one_in(2) ? static_cast<char>(c >= 'a' ? c - 32 : c + 32) : c;
            }
        }
    }

    bool gen(std::size_t n)
    {
        const node& x = rules.graph().nodes[n];
        switch (x.kind) {
        case node_kind::seq:
            for (const std::size_t s : x.subs) {
                if (!gen(s)) {
                    return false;
                }
            }
            return true;
        case node_kind::sor: {
            const std::size_t i = choose_branch(x, n);
            mark(a.first_point[n] + i);
            return gen(x.subs[i]);
        }
        case node_kind::repeat: {
            const std::size_t count = choose_count(x, n);
            const std::size_t mark_at = marks.size();
            const std::size_t p = bound_point(x, n, count);
            mark(p);
            for (std::size_t i = 0; i < count; ++i) {
                if (!gen(x.subs[0])) {
                    return false;
                }
            }
            if (a.charset[x.subs[0]] && (x.max == unbounded || count < x.max)) {
                sites.push_back({out.size(), n, count, p == npos ? npos : mark_at, open});
            }
            return true;
        }
        case node_kind::charset:
            out += pick(n);
            return true;
        case node_kind::literal:
            emit_literal(x);
            return true;
        case node_kind::rule:
            return gen_rule(n);
        case node_kind::at:
        case node_kind::not_at:
            lookaheads.push_back({n, out.size()});
            return true;
        case node_kind::empty:
            return true;
        case node_kind::fail:
            return false;
        }
        return false;
    }

    /// @return true when every look-ahead met holds in the finished sample.
    [[nodiscard]] bool lookaheads_hold() const
    {
        const grammar_graph& g = rules.graph();
        return std::ranges::all_of(lookaheads, [&](const lookahead& la) {
            probe seen;
            return match(g, la.node, out, la.pos, seen) != npos;
        });
    }

    /**
     * Checks the look-aheads not yet known to hold against the text so far.
     * One whose match did not need octets past the end is decided now.
     * @return false when one failed; failed_read then says how far it read.
     */
    bool check_lookaheads()
    {
        const grammar_graph& g = rules.graph();
        for (lookahead& la : lookaheads) {
            if (la.holds) {
                continue;
            }
            probe seen;
            const bool ok = match(g, la.node, out, la.pos, seen) != npos;
            if (seen.open_end) {
                continue;
            }
            if (!ok) {
                failed_read = seen.furthest;
                return false;
            }
            la.holds = true;
        }
        return true;
    }

    /// Forgets which look-aheads were known to hold: the text after them changed.
    void reopen_lookaheads()
    {
        for (lookahead& la : lookaheads) {
            la.holds = false;
        }
    }

    bool gen_rule(std::size_t n)
    {
        const node& x = rules.graph().nodes[n];
        const std::size_t rule = x.rule;
        if (depth >= max_depth || budget == 0) {
            return false;
        }
        --budget;
        ++depth;
        const bool constrained = rules.constrained(rule);
        const int attempts = constrained ? part_attempts : 1;
        for (int attempt = 0; attempt < std::max(attempts, lookahead_attempts); ++attempt) {
            const std::size_t start = out.size();
            const std::size_t marks_at = marks.size();
            const std::size_t sites_at = sites.size();
            const std::size_t spans_at = spans.size();
            const std::size_t lookaheads_at = lookaheads.size();
            if (constrained) {
                spans.push_back({rule, start, npos});
                open.push_back(spans_at);
            }
            failed_read = npos;
            bool ok = gen(x.subs.at(0));
            if (constrained) {
                open.pop_back();
                spans[spans_at].end = out.size();
                if (ok) {
                    extend_to_limit(spans_at, sites_at);
                    const span& s = spans[spans_at];
                    ok = rules.within_constraints(rule, std::string_view(out).substr(
                                                            s.start, s.end - s.start));
                }
            }
            // A look-ahead decided by this rule's text (one before the rule that
            // looks into it, or one inside it) is checked now, so that only this
            // rule is generated again when it fails, not the whole sample.
            if (ok && !lookaheads.empty()) {
                ok = check_lookaheads();
            }
            if (ok) {
                const std::size_t lp = a.limit_point[rule];
                if (lp != npos && out.size() - start == rules.limit(rule)->octets) {
                    mark(lp);
                }
                failed_read = npos;
                --depth;
                return true;
            }
            out.resize(start);
            marks.resize(marks_at);
            sites.resize(sites_at);
            spans.resize(spans_at);
            lookaheads.resize(lookaheads_at);
            reopen_lookaheads();
            rebuild_pending();
            // Again when this rule's text made a look-ahead fail (here or in a
            // rule below that gave up), or when a constraint may yet be met.
            const bool lookahead_here = failed_read != npos && failed_read > start;
            if (!(lookahead_here || attempt + 1 < attempts) || budget == 0) {
                break;
            }
        }
        --depth;
        return false;
    }

    /// Grows a rule's match to exactly its size limit, when that point is wanted.
    void extend_to_limit(std::size_t span_id, std::size_t sites_at)
    {
        const std::size_t rule = spans[span_id].rule;
        const std::size_t lp = a.limit_point[rule];
        if (!guided || lp == npos || hit(lp) || !rng.one_in(2)) {
            return;
        }
        const std::size_t target = rules.limit(rule)->octets;
        const std::size_t len = spans[span_id].end - spans[span_id].start;
        if (len >= target) {
            return;
        }
        const std::size_t need = target - len;
        std::vector<std::size_t> candidates;
        for (std::size_t i = sites_at; i < sites.size(); ++i) {
            const node& x = rules.graph().nodes[sites[i].node];
            if (x.max == unbounded || x.max - sites[i].count >= need) {
                candidates.push_back(i);
            }
        }
        for (std::size_t k = candidates.size(); k > 1; --k) {
            std::swap(candidates[k - 1], candidates[rng.below(k)]);
        }
        for (const std::size_t i : candidates) {
            if (try_insert(i, need)) {
                return;
            }
        }
    }

    bool try_insert(std::size_t site_id, std::size_t need)
    {
        const std::vector<span> spans_before = spans;
        const std::vector<site> sites_before = sites;
        const std::size_t at = sites[site_id].pos;
        const std::size_t sub = rules.graph().nodes[sites[site_id].node].subs[0];
        std::string text;
        for (std::size_t i = 0; i < need; ++i) {
            text += pick(sub);
        }
        out.insert(at, text);
        const std::vector<std::size_t> inside = sites[site_id].open;
        for (std::size_t s = 0; s < spans.size(); ++s) {
            const bool contains = std::ranges::find(inside, s) != inside.end();
            if (contains) {
                if (spans[s].end != npos) {
                    spans[s].end += need;
                }
            } else if (spans[s].start >= at) {
                spans[s].start += need;
                if (spans[s].end != npos) {
                    spans[s].end += need;
                }
            }
        }
        for (site& s : sites) {
            if (s.pos >= at) {
                s.pos += need;
            }
        }
        const auto lookaheads_before = lookaheads;
        for (auto& la : lookaheads) {
            if (la.pos >= at) {
                la.pos += need;
            }
            la.holds = false;
        }
        bool ok = true;
        for (const std::size_t s : inside) {
            if (spans[s].end != npos
                && !rules.within_constraints(spans[s].rule,
                                             std::string_view(out).substr(
                                                 spans[s].start, spans[s].end - spans[s].start))) {
                ok = false;
                break;
            }
        }
        if (!ok) {
            out.erase(at, need);
            spans = spans_before;
            sites = sites_before;
            lookaheads = lookaheads_before;
            return false;
        }
        site& s = sites[site_id];
        s.count += need;
        if (s.mark != npos) {
            const node& x = rules.graph().nodes[s.node];
            marks[s.mark] = bound_point(x, s.node, s.count);
            rebuild_pending();
        }
        return true;
    }

    std::optional<std::string> generate(std::size_t rule)
    {
        const std::size_t n = rules.graph().rules.at(rule).node;
        done = covered;
        done.unite(a.unreachable(rule));
        for (int attempt = 0; attempt < sample_attempts; ++attempt) {
            budget = rule_budget;
            out.clear();
            marks.clear();
            spans.clear();
            sites.clear();
            open.clear();
            lookaheads.clear();
            failed_read = npos;
            pending.clear();
            depth = 0;
            if (gen(n) && lookaheads_hold()) {
                for (const std::size_t p : marks) {
                    if (p != npos) {
                        ++hits[p];
                        covered.set(p);
                    }
                }
                marks.clear();
                pending.clear();
                return out;
            }
        }
        marks.clear();
        pending.clear();
        return std::nullopt;
    }
};

generator::generator(const rule_set& rules, std::uint64_t seed)
    : impl_(std::make_unique<impl>(rules, seed))
{
}

generator::~generator() = default;

std::optional<std::string> generator::generate(std::size_t rule)
{
    impl_->guided = guided_;
    return impl_->generate(rule);
}

void generator::reseed(std::uint64_t seed) { impl_->rng.reseed(seed); }

const std::vector<coverage_point>& generator::points() const noexcept { return impl_->a.points; }

rule_coverage generator::coverage(std::size_t rule) const
{
    rule_coverage c;
    c.rule = impl_->rules.name(rule);
    const point_set& out_of_reach = impl_->a.unreachable(rule);
    impl_->a.closure.at(rule).each([&](std::size_t p) {
        if (out_of_reach.test(p)) {
            return;
        }
        const coverage_point& point = impl_->a.points[p];
        const bool hit = impl_->hits[p] > 0;
        switch (point.kind) {
        case point_kind::alternative:
            ++c.alternatives;
            c.alternatives_hit += hit ? 1 : 0;
            break;
        case point_kind::bound:
            ++c.bounds;
            c.bounds_hit += hit ? 1 : 0;
            break;
        case point_kind::limit:
            ++c.limits;
            c.limits_hit += hit ? 1 : 0;
            break;
        }
        if (!hit) {
            c.missing.push_back(point.label);
            if (point.kind == point_kind::alternative) {
                c.missing_alternatives.push_back(point.label);
            }
        }
    });
    return c;
}

bool generator::complete(std::size_t rule) const
{
    return impl_->a.closure.at(rule).count_outside(impl_->covered, impl_->a.unreachable(rule)) == 0;
}

void generator::merge(const generator& other)
{
    for (std::size_t p = 0; p < impl_->hits.size(); ++p) {
        impl_->hits[p] += other.impl_->hits[p];
        if (impl_->hits[p] > 0) {
            impl_->covered.set(p);
        }
    }
}

}  // namespace smtpspec::corpus
