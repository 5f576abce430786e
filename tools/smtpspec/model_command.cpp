// smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
// SPDX-License-Identifier: MIT

#include "model/dot.hpp"
#include "model/explore.hpp"
#include "model/switches.hpp"
#include "spec/catalogue.hpp"
#include "tools/smtpspec/commands.hpp"
#include "tools/smtpspec/options.hpp"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace smtpspec::tools
{

namespace
{
struct model_args
{
    std::string profile = "rfc5321";
    std::vector<std::string> set;
    std::string dot_file;
    bool dot_all = false;
    std::size_t exact_recipients = 2;
    std::string first = "rfc5321";
    std::string second = "rfc5321bis";
    std::vector<std::string> set_first;
    std::vector<std::string> set_second;
};

[[noreturn]] void usage_error(const std::string& what)
{
    std::cerr << "smtpspec model: " << what << '\n';
    throw CLI::RuntimeError(exit_usage);
}

std::string issue_text(int number)
{
    return number == 0 ? std::string{"-"} : "#" + std::to_string(number);
}

/// The named profile with each "SWITCH=VALUE" applied, or a usage error.
model::profile make_profile(const std::string& name, const std::vector<std::string>& set)
{
    auto p = model::find_profile(name);
    if (!p) {
        usage_error("unknown profile '" + name + "' (known: rfc5321, rfc5321bis)");
    }
    for (const auto& assignment : set) {
        const auto eq = assignment.find('=');
        if (eq == std::string::npos) {
            usage_error("--set wants SWITCH=VALUE, got '" + assignment + "'");
        }
        const std::string key = assignment.substr(0, eq);
        const auto* sw = model::find_profile_switch(key);
        if (sw == nullptr) {
            usage_error("unknown switch '" + key + "' (smtpspec model profiles lists them)");
        }
        if (!sw->set(*p, assignment.substr(eq + 1))) {
            usage_error("switch '" + key + "' cannot be '" + assignment.substr(eq + 1) + "'");
        }
    }
    return *p;
}

void write_dot(const std::string& path, const std::string& text)
{
    if (const std::string error = write_file(path, text); !error.empty()) {
        usage_error(error);
    }
}

/// The switches whose values differ from the named base profile.
std::string changed_switches(const model::profile& base, const model::profile& p)
{
    std::string out;
    for (const auto& sw : model::profile_switches()) {
        if (sw.get(base) != sw.get(p)) {
            out += "  " + std::string{sw.name} + "=" + sw.get(p) + " (was " + sw.get(base)
                + ", WG " + issue_text(sw.wg_issue()) + ")\n";
        }
    }
    return out;
}

std::string abstraction_text(const model::exploration& e)
{
    const std::size_t exact = e.options.exact_recipients;
    const std::size_t limit = e.explored.max_recipients;
    if (exact + 2 >= limit) {
        return "recipient counts exact (0.." + std::to_string(limit) + ")";
    }
    return "recipient counts 0.." + std::to_string(exact) + " exact, "
        + std::to_string(exact + 1) + ".." + std::to_string(limit - 1) + " as one, "
        + std::to_string(limit) + " (the limit) exact";
}

int run_explore(const model_args& a)
{
    const model::profile p = make_profile(a.profile, a.set);
    model::explore_options o;
    o.exact_recipients = a.exact_recipients;
    const auto e = model::explore(p, o);
    std::cout << "profile " << p.name << '\n';
    const auto changed = changed_switches(*model::find_profile(a.profile), p);
    if (!changed.empty()) {
        std::cout << "switches set:\n" << changed;
    }
    std::cout << "abstraction: " << abstraction_text(e) << "; closed states merged\n";
    std::cout << "alphabet: " << e.alphabet.size() << " inputs\n";
    std::cout << "states: " << e.states.size() << '\n';
    std::cout << "transitions: " << e.edges.size() << '\n';
    if (e.truncated) {
        std::cout << "TRUNCATED: more than " << o.max_states << " states\n";
    }
    std::cout << "invariants:\n";
    std::size_t broken = 0;
    for (const auto& inv : model::invariants()) {
        const std::size_t n = e.count(inv.id);
        broken += n == 0 ? 0 : 1;
        std::printf("  %-4s %-25s %s [%s]\n", n == 0 ? "ok" : "FAIL",
                    std::string{inv.id}.c_str(), std::string{inv.summary}.c_str(),
                    spec::to_string(inv.why).c_str());
        if (const auto v = model::first_violation(e, inv.id)) {
            const std::string count = n < o.max_violations
                ? std::to_string(n)
                : std::to_string(n) + " or more";
            std::cout << "       " << count << " violation(s); the first: " << v->detail << '\n';
            std::cout << "       counterexample:\n";
            const std::string t = e.transcript(v->path);
            std::size_t start = 0;
            while (start < t.size()) {
                const auto end = t.find('\n', start);
                std::cout << "         " << t.substr(start, end - start) << '\n';
                start = end + 1;
            }
        }
    }
    if (!a.dot_file.empty()) {
        write_dot(a.dot_file, model::to_dot(e, {a.dot_all, a.dot_all}));
        std::cout << "graph written to " << a.dot_file << '\n';
    }
    if (broken > 0 || e.truncated) {
        std::cout << "result: " << broken << " invariant(s) violated\n";
        return exit_failed;
    }
    std::cout << "result: all " << model::invariants().size() << " invariants hold\n";
    return exit_ok;
}

int run_profiles()
{
    const std::vector<const model::profile*> all{&model::rfc5321(), &model::rfc5321bis()};
    std::printf("%-36s", "switch");
    for (const auto* p : all) {
        std::printf(" %-11s", std::string{p->name}.c_str());
    }
    std::printf(" %-5s %s\n", "WG", "meaning");
    for (const auto& sw : model::profile_switches()) {
        std::printf("%-36s", std::string{sw.name}.c_str());
        for (const auto* p : all) {
            std::printf(" %-11s", sw.get(*p).c_str());
        }
        std::printf(" %-5s %s\n", issue_text(sw.wg_issue()).c_str(),
                    std::string{sw.description}.c_str());
    }
    return exit_ok;
}

void print_edges(const model::exploration& e, const std::vector<std::size_t>& edges)
{
    for (const std::size_t n : edges) {
        const auto& g = e.edges[n];
        std::cout << "  " << e.describe(e.states[g.from]) << " --" << e.alphabet[g.input].name
                  << '/' << g.code << "--> " << e.describe(e.states[g.to]) << "  ["
                  << spec::to_string(g.why) << "]\n";
    }
}

int run_diff(const model_args& a)
{
    const model::profile pa = make_profile(a.first, a.set_first);
    const model::profile pb = make_profile(a.second, a.set_second);
    model::explore_options o;
    o.exact_recipients = a.exact_recipients;
    const auto ea = model::explore(pa, o);
    const auto eb = model::explore(pb, o);
    const auto d = model::diff(ea, eb);
    const std::string na = std::string{pa.name} + (a.set_first.empty() ? "" : " (A)");
    const std::string nb = std::string{pb.name} + (a.set_second.empty() ? "" : " (B)");
    std::cout << na << ": " << ea.states.size() << " states, " << ea.edges.size()
              << " transitions\n";
    std::cout << nb << ": " << eb.states.size() << " states, " << eb.edges.size()
              << " transitions\n";
    const auto changed = changed_switches(pa, pb);
    std::cout << "switches that differ:" << (changed.empty() ? " none\n" : "\n") << changed;
    std::cout << "transitions only in " << na << ": " << d.only_in_first.size() << '\n';
    print_edges(ea, d.only_in_first);
    std::cout << "transitions only in " << nb << ": " << d.only_in_second.size() << '\n';
    print_edges(eb, d.only_in_second);
    for (const std::size_t i : d.states_only_in_first) {
        std::cout << "state only in " << na << ": " << ea.describe(ea.states[i]) << '\n';
    }
    for (const std::size_t i : d.states_only_in_second) {
        std::cout << "state only in " << nb << ": " << eb.describe(eb.states[i]) << '\n';
    }
    if (!a.dot_file.empty()) {
        write_dot(a.dot_file, model::to_dot_diff(ea, eb, {a.dot_all, a.dot_all}));
        std::cout << "graph written to " << a.dot_file << '\n';
    }
    return exit_ok;
}

void finish(int status)
{
    if (status != exit_ok) {
        throw CLI::RuntimeError(status);
    }
}
}  // namespace

void add_model_command(CLI::App& app)
{
    auto args = std::make_shared<model_args>();
    CLI::App* model = app.add_subcommand("model", "Explore the session-state model and its "
                                                  "profiles");
    model->require_subcommand(1);

    CLI::App* explore = model->add_subcommand(
        "explore", "Enumerate every reachable state of a profile and check the invariants");
    explore->add_option("--profile", args->profile, "rfc5321 or rfc5321bis")
        ->capture_default_str();
    explore->add_option("--set", args->set, "SWITCH=VALUE, a model::profile member; repeatable");
    explore->add_option("--dot", args->dot_file, "write the state graph as Graphviz DOT to FILE");
    explore->add_flag("--dot-all", args->dot_all,
                      "draw self-loops, 421s and disconnects too");
    explore->add_option("--exact-recipients", args->exact_recipients,
                        "recipient counts kept exactly below the limit")
        ->capture_default_str();
    explore->callback([args] { finish(run_explore(*args)); });

    CLI::App* profiles = model->add_subcommand(
        "profiles", "List the profiles and every switch with its value and WG issue");
    profiles->callback([] { finish(run_profiles()); });

    CLI::App* diff = model->add_subcommand(
        "diff", "Show the transitions one profile has and the other lacks");
    diff->add_option("A", args->first, "first profile")->capture_default_str();
    diff->add_option("B", args->second, "second profile")->capture_default_str();
    diff->add_option("--set-a", args->set_first, "SWITCH=VALUE applied to A; repeatable");
    diff->add_option("--set-b", args->set_second, "SWITCH=VALUE applied to B; repeatable");
    diff->add_option("--dot", args->dot_file, "write both graphs as one DOT file to FILE");
    diff->add_flag("--dot-all", args->dot_all, "draw self-loops, 421s and disconnects too");
    diff->add_option("--exact-recipients", args->exact_recipients,
                     "recipient counts kept exactly below the limit")
        ->capture_default_str();
    diff->callback([args] { finish(run_diff(*args)); });
}

}  // namespace smtpspec::tools
