// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "model/dot.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <utility>
#include <variant>
#include <vector>

namespace smtpspec::model
{

namespace
{
enum class style
{
    common,
    first_only,
    second_only,
};

/// Edges drawn between one pair of nodes in one style, grouped by input.
struct bundle
{
    std::vector<std::pair<std::string, std::vector<int>>> inputs;

    void add(const std::string& name, int code)
    {
        auto it = std::ranges::find(inputs, name, &std::pair<std::string, std::vector<int>>::first);
        if (it == inputs.end()) {
            inputs.push_back({name, {}});
            it = inputs.end() - 1;
        }
        if (std::ranges::find(it->second, code) == it->second.end()) {
            it->second.push_back(code);
        }
    }

    [[nodiscard]] std::string label() const
    {
        std::string out;
        for (const auto& [name, codes] : inputs) {
            if (!out.empty()) {
                out += "\\n";
            }
            out += name + " ";
            for (std::size_t i = 0; i < codes.size(); ++i) {
                out += (i == 0 ? "" : "|") + (codes[i] == 0 ? std::string{"-"}
                                                            : std::to_string(codes[i]));
            }
        }
        return out;
    }
};

class drawing
{
public:
    explicit drawing(const dot_options& o) : options_(o) {}

    void add_states(const exploration& e)
    {
        for (const state& s : e.states) {
            const std::string name = e.describe(s);
            if (!node_ids_.contains(name)) {
                node_ids_.emplace(name, node_ids_.size());
                nodes_.push_back(name);
            }
        }
    }

    void add_edge(const exploration& e, const graph_edge& g, style st)
    {
        const bool closing = g.code == 421
            || std::holds_alternative<disconnect_event>(e.alphabet[g.input].value);
        if ((g.from == g.to && !options_.self_loops) || (closing && !options_.closing)) {
            return;
        }
        const auto key = std::make_tuple(node_ids_.at(e.describe(e.states[g.from])),
                                         node_ids_.at(e.describe(e.states[g.to])), st);
        if (!bundles_.contains(key)) {
            order_.push_back(key);
        }
        bundles_[key].add(e.alphabet[g.input].name, g.code);
    }

    [[nodiscard]] std::string str(const std::string& title) const
    {
        std::string out = "digraph \"" + title + "\" {\n";
        out += "    rankdir=LR;\n    node [shape=box, style=rounded, fontname=Helvetica];\n";
        out += "    edge [fontname=Helvetica, fontsize=10];\n";
        for (std::size_t i = 0; i < nodes_.size(); ++i) {
            std::string label = nodes_[i];
            const auto space = label.find(' ');
            if (space != std::string::npos) {
                label[space] = '\n';
            }
            std::string escaped;
            for (const char c : label) {
                escaped += c == '\n' ? std::string{"\\n"} : std::string(1, c);
            }
            out += "    s" + std::to_string(i) + " [label=\"" + escaped + "\"];\n";
        }
        for (const auto& key : order_) {
            const auto& [from, to, st] = key;
            out += "    s" + std::to_string(from) + " -> s" + std::to_string(to) + " [label=\""
                + bundles_.at(key).label() + "\"";
            if (st == style::first_only) {
                out += ", color=red, fontcolor=red, style=dashed";
            } else if (st == style::second_only) {
                out += ", color=blue, fontcolor=blue, style=bold";
            } else if (diff_) {
                out += ", color=gray50, fontcolor=gray50";
            }
            out += "];\n";
        }
        out += "}\n";
        return out;
    }

    bool diff_ = false;  ///< Grey the common edges.

private:
    dot_options options_;
    std::map<std::string, std::size_t> node_ids_;
    std::vector<std::string> nodes_;
    std::map<std::tuple<std::size_t, std::size_t, style>, bundle> bundles_;
    std::vector<std::tuple<std::size_t, std::size_t, style>> order_;
};
}  // namespace

std::string to_dot(const exploration& e, const dot_options& o)
{
    drawing d{o};
    d.add_states(e);
    for (const auto& g : e.edges) {
        d.add_edge(e, g, style::common);
    }
    return d.str(std::string{e.explored.name});
}

std::string to_dot_diff(const exploration& a, const exploration& b, const dot_options& o)
{
    const exploration_diff changes = diff(a, b);
    const std::set<std::size_t> only_a(changes.only_in_first.begin(), changes.only_in_first.end());
    const std::set<std::size_t> only_b(changes.only_in_second.begin(),
                                       changes.only_in_second.end());
    drawing d{o};
    d.diff_ = true;
    d.add_states(a);
    d.add_states(b);
    for (std::size_t n = 0; n < a.edges.size(); ++n) {
        d.add_edge(a, a.edges[n], only_a.contains(n) ? style::first_only : style::common);
    }
    for (const std::size_t n : only_b) {
        d.add_edge(b, b.edges[n], style::second_only);
    }
    return d.str(std::string{a.explored.name} + " vs " + std::string{b.explored.name});
}

}  // namespace smtpspec::model
