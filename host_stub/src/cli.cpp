#include "cli.h"

#include <boost/dll/runtime_symbol_info.hpp>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <cstdlib>
#include <iostream>
#include <memory>

#include "action_invoker.h"
#include "rpa_common/json.h"
#include "bot_migration.h"
#include "bot_runner.h"
#include "host_services_table.h"
#include "plugin_registry.h"
#include "session_table.h"
#include "system/console.h"
#include "vault.h"

namespace rpa_host {

namespace {

const char *kUsage =
    "usage: rpa-host [--plugins DIR]... [--vault FILE] [--json] [--verbose] COMMAND\n"
    "commands:\n"
    "  actions                                   list the loaded actions\n"
    "  schema ACTION                             print an action's JSON schema (e.g. Email.Connect)\n"
    "  run BOT.json                              run a bot file's steps in order\n"
    "  migrate BOT.json                          print the bot with steps the plugins now do\n"
    "                                            differently rewritten (EWS to Exchange Online\n"
    "                                            becomes Microsoft Graph); notes on stderr\n"
    "  authorize PROPERTIES.json                 sign in once in a browser for an Email.Connect\n"
    "                                            property bag with auth_type \"oauth2\"; the\n"
    "                                            sign-in is kept in the vault\n"
    "  vault set LOCKER CREDENTIAL ATTRIBUTE     store a secret read from stdin\n"
    "  vault list                                list stored names (never values)\n"
    "  vault rm LOCKER [CREDENTIAL [ATTRIBUTE]]  remove secrets\n"
    "  designer [--port N] [--bots DIR]          serve the Actions palette on 127.0.0.1 (a web page\n"
    "                                            that designs, tests, saves and runs bots); N from\n"
    "                                            1 to 65535 (default: a free port); bot files only\n"
    "                                            in DIR (default: the current directory)\n"
    "The vault passphrase comes from the environment variable RPA_VAULT_PASSPHRASE.\n";

// designer [--port N] [--bots DIR], in any order, each at most once.
bool parse_designer_options(CommandLine &line, std::ostream &errors) {
   bool port_given = false, bots_given = false;
   for (std::size_t i = 1; i < line.command.size(); i += 2) {
      const std::string &option = line.command[i];
      if ((option != "--port" && option != "--bots") || i + 1 >= line.command.size()) {
         errors << "rpa-host: designer takes [--port N] [--bots DIR], not \"" << option << "\"\n" << kUsage;
         return false;
      }
      const std::string &value = line.command[i + 1];
      bool &given = option == "--port" ? port_given : bots_given;
      if (given) {
         errors << "rpa-host: designer: " << option << " is given twice\n";
         return false;
      }
      given = true;
      if (option == "--bots") {
         line.designer_bots = value;
         continue;
      }
      const bool digits =
          !value.empty() && value.size() <= 5 && value.find_first_not_of("0123456789") == std::string::npos;
      const unsigned long port = digits ? std::stoul(value) : 0;
      if (port < 1 || port > 65535) {
         errors << "rpa-host: designer: --port must be a number from 1 to 65535, not \""
                << value.substr(0, 40) << "\"\n";
         return false;
      }
      line.designer_port = static_cast<std::uint16_t>(port);
   }
   return true;
}

// `../plugins` next to the executable in a build tree; installed, `<prefix>/lib/rpa/plugins`
// (RPA_INSTALL_PLUGIN_DIR, relative to the prefix the executable is in).
std::string default_plugin_folder() {
   const boost::dll::fs::path prefix = boost::dll::program_location().parent_path() / "..";
   const boost::dll::fs::path build_tree = (prefix / "plugins").lexically_normal();
   boost::dll::fs::error_code error;
   if (boost::dll::fs::is_directory(build_tree, error)) return build_tree.u8string();
   return (prefix / RPA_INSTALL_PLUGIN_DIR).lexically_normal().u8string();
}

// Reads the secret for `vault set` from `in`. From a terminal: prompts on `errors`, reads one
// line with echo off. Otherwise: everything up to end of input (so a file may hold any bytes).
rpa::SecretString read_secret(std::istream &in, std::ostream &errors, const std::string &name) {
   rpa::SecretString value;
   value.reserve(4096);
   if (&in == &std::cin && set_terminal_echo(false)) {
      errors << "value for " << name << " (not shown): " << std::flush;
      char c;
      while (in.get(c) && c != '\n' && c != '\r') value.append(c);
      set_terminal_echo(true);
      errors << "\n";
      return value;
   }
   char c;
   while (in.get(c)) value.append(c);
   return value;
}

}  // namespace

// The CLI's browser: prints the sign-in address (it holds no secret: PKCE sends only the
// challenge) and, on a desktop, shows it in the desktop's browser.
UrlOpener terminal_browser(std::ostream &errors) {
   return [&errors](const std::string &url) {
      errors << "rpa-host: open this address in a browser to sign in:\n  " << url << "\n" << std::flush;
      open_in_desktop_browser(url);
      return RPA_OK;
   };
}

namespace {

// The action a loaded action's schema offers as its "authorize" button (x-ui.buttons.authorize.
// action: an action id), so the host names no plugin's action; "" when none or several differ.
std::string authorize_action_id(const PluginRegistry &plugins, std::ostream &errors) {
   std::string found;
   for (const FoundAction &action : plugins.actions()) {
      rapidjson::Document schema;
      if (!rpa::parse_json(schema, action.descriptor->schema_json) || !schema.IsObject()) continue;
      const auto ui = schema.FindMember("x-ui");
      if (ui == schema.MemberEnd() || !ui->value.IsObject()) continue;
      const auto buttons = ui->value.FindMember("buttons");
      if (buttons == ui->value.MemberEnd() || !buttons->value.IsObject()) continue;
      const auto button = buttons->value.FindMember("authorize");
      if (button == buttons->value.MemberEnd() || !button->value.IsObject()) continue;
      const auto id = button->value.FindMember("action");
      if (id == button->value.MemberEnd() || !id->value.IsString()) continue;
      if (!found.empty() && found != id->value.GetString()) {
         errors << "rpa-host: several loaded plugins offer an authorize action (" << found << ", "
                << id->value.GetString() << ")\n";
         return "";
      }
      found = id->value.GetString();
   }
   if (found.empty()) errors << "rpa-host: no loaded plugin offers an authorize action\n";
   return found;
}

// `authorize PROPERTIES.json`: the authorize action (authorize_action_id) with that property bag.
int authorize_command(const std::string &path, const PluginRegistry &plugins, const HostServicesTable &host,
                      bool json, std::ostream &out, std::ostream &errors) {
   std::ifstream file(std::filesystem::u8path(path), std::ios::binary);
   if (!file) {
      errors << "rpa-host: cannot read \"" << path << "\"\n";
      return kExitUsage;
   }
   std::stringstream text;
   text << file.rdbuf();
   const std::string id = authorize_action_id(plugins, errors);
   if (id.empty()) return kExitStepFailed;
   FoundAction action = plugins.find(id);
   if (!action.descriptor) {
      errors << "rpa-host: no loaded plugin has the action \"" << id << "\"\n";
      return kExitStepFailed;
   }
   ActionOutcome outcome = invoke_action(action, text.str(), host);
   if (json)
      out << outcome.result_json << "\n";
   else
      (outcome.ok() ? out : errors) << (outcome.ok() ? "" : "rpa-host: ") << outcome.message << "\n";
   return outcome.ok() ? kExitOk : kExitStepFailed;
}

}  // namespace

std::unique_ptr<Vault> open_vault(const CommandLine &line, bool required, std::ostream &errors) {
   if (line.vault_path.empty()) {
      if (required) errors << "rpa-host: give the vault file with --vault FILE (or RPA_VAULT_FILE)\n";
      return nullptr;
   }
   return std::make_unique<Vault>(Vault::open(line.vault_path, vault_passphrase_from_environment()));
}

namespace {

int vault_command(const CommandLine &line, std::istream &in, std::ostream &out, std::ostream &errors) {
   const std::vector<std::string> &args = line.command;
   std::unique_ptr<Vault> vault = open_vault(line, true, errors);
   if (!vault) return kExitUsage;
   if (args.size() == 2 && args[1] == "list") {
      for (const std::string &name : vault->list()) out << name << "\n";
      return kExitOk;
   }
   if (args.size() == 5 && args[1] == "set") {
      rpa::SecretString value = read_secret(in, errors, args[2] + "/" + args[3] + "/" + args[4]);
      // A trailing newline from `echo` or a terminal is not part of the secret.
      while (!value.empty() &&
             (value.data()[value.size() - 1] == '\n' || value.data()[value.size() - 1] == '\r'))
         value.resize_within_capacity(value.size() - 1);
      if (value.empty()) {
         errors << "rpa-host: no value on stdin; nothing stored\n";
         return kExitStepFailed;
      }
      vault->set(args[2], args[3], args[4], std::move(value));
      out << "stored " << args[2] << "/" << args[3] << "/" << args[4] << "\n";
      return kExitOk;
   }
   if (args.size() >= 3 && args.size() <= 5 && args[1] == "rm") {
      if (!vault->remove(args[2], args.size() > 3 ? args[3] : "", args.size() > 4 ? args[4] : "")) {
         errors << "rpa-host: nothing in the vault matches\n";
         return kExitStepFailed;
      }
      out << "removed\n";
      return kExitOk;
   }
   errors << kUsage;
   return kExitUsage;
}

void print_actions(const PluginRegistry &plugins, bool json, std::ostream &out) {
   if (json) {
      rapidjson::StringBuffer buffer;
      rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
      writer.StartArray();
      for (const FoundAction &action : plugins.actions()) {
         const rpa_action_descriptor &d = *action.descriptor;
         writer.StartObject();
         writer.Key("id");
         writer.String(d.id);
         writer.Key("action");
         writer.String((std::string(d.package) + "." + d.name).c_str());
         writer.Key("label");
         writer.StartObject();
         writer.Key("en");
         writer.String(d.label_en);
         writer.Key("ja");
         writer.String(d.label_ja);
         writer.EndObject();
         writer.Key("description");
         writer.String(d.description_en ? d.description_en : "");
         writer.Key("plugin");
         writer.String(action.plugin->entry->plugin_id);
         writer.EndObject();
      }
      writer.EndArray();
      out << buffer.GetString() << "\n";
      return;
   }
   for (const FoundAction &action : plugins.actions()) {
      const rpa_action_descriptor &d = *action.descriptor;
      out << d.package << "." << d.name << "\t" << d.id << "\t" << d.label_en << " / " << d.label_ja << "\n";
   }
}

}  // namespace

bool parse_command_line(int argc, char **argv, CommandLine &line, std::ostream &errors) {
   if (const std::optional<rpa::SecretString> vault = environment_value("RPA_VAULT_FILE"))
      line.vault_path = std::string(vault->view());
   int i = 1;
   for (; i < argc; ++i) {
      std::string arg = argv[i];
      if (arg == "--plugins" && i + 1 < argc) {
         line.plugin_folders.push_back(argv[++i]);
      } else if (arg == "--vault" && i + 1 < argc) {
         line.vault_path = argv[++i];
      } else if (arg == "--json") {
         line.json = true;
      } else if (arg == "--verbose" || arg == "-v") {
         line.verbose = true;
      } else if (arg == "--help" || arg == "-h") {
         errors << kUsage;
         return false;
      } else if (!arg.empty() && arg[0] == '-') {
         errors << "rpa-host: unknown option \"" << arg << "\"\n" << kUsage;
         return false;
      } else {
         break;
      }
   }
   for (; i < argc; ++i) line.command.push_back(argv[i]);
   if (line.command.empty()) {
      errors << kUsage;
      return false;
   }
   const std::string &name = line.command[0];
   const std::size_t n = line.command.size();
   bool shape_ok = (name == "actions" && n == 1) || (name == "schema" && n == 2) ||
                   (name == "run" && n == 2) || (name == "migrate" && n == 2) ||
                   (name == "authorize" && n == 2) || (name == "vault" && n >= 2) || name == "designer";
   if (name == "designer" && !parse_designer_options(line, errors)) return false;
   if (!shape_ok) {
      errors << "rpa-host: bad command \"" << name << "\"\n" << kUsage;
      return false;
   }
   if (line.plugin_folders.empty()) line.plugin_folders.push_back(default_plugin_folder());
   return true;
}

int run_command(const CommandLine &line, const std::atomic<bool> &cancelled, std::istream &in,
                std::ostream &out, std::ostream &errors, CancelSignal *signal) {
   try {
      const std::string &name = line.command[0];
      if (name == "vault") return vault_command(line, in, out, errors);

      // Declaration order is destruction order in reverse: sessions go before plugins.
      PluginRegistry plugins;
      auto warn = [&errors](const std::string &text) { errors << "rpa-host: " << text << "\n"; };
      for (const std::string &folder : line.plugin_folders) plugins.load_folder(folder, warn);
      if (name == "actions") {
         print_actions(plugins, line.json, out);
         return kExitOk;
      }
      if (name == "schema") {
         FoundAction action = plugins.find(line.command[1]);
         if (!action.descriptor) {
            errors << "rpa-host: no loaded plugin has the action \"" << line.command[1] << "\"\n";
            return kExitStepFailed;
         }
         out << action.descriptor->schema_json << "\n";
         return kExitOk;
      }
      if (name == "migrate") return migrate_bot(line.command[1], plugins, out, errors);
      std::unique_ptr<Vault> vault = open_vault(line, false, errors);
      if (vault && vault->list().empty())
         errors << "rpa-host: warning: the vault \"" << line.vault_path
                << "\" holds no credentials; credential references will not be found\n";
      SessionTable sessions;
      LogSink log;
      log.min_level = line.verbose ? RPA_LOG_DEBUG : RPA_LOG_INFO;
      HostServicesTable host(sessions, vault.get(), log, cancelled, terminal_browser(errors));
      host.offer_cancel_signal(signal);
      if (name == "authorize")
         return authorize_command(line.command[1], plugins, host, line.json, out, errors);
      int code = run_bot(line.command[1], plugins, host, line.json, out, errors);
      sessions.clear();  // open sessions log out while their plugins are still initialised
      return code;
   } catch (const VaultError &error) {
      errors << "rpa-host: " << error.what() << "\n";
      return kExitStepFailed;
   } catch (const std::exception &error) {
      errors << "rpa-host: " << error.what() << "\n";
      return kExitStepFailed;
   }
}

}  // namespace rpa_host
