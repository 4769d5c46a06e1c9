// Reading and writing shard.json.
#include "io/results/shard_manifest.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/core/errors.h"
#include "io/json/json_numbers.h"

namespace tapegrid {

nlohmann::json shard_manifest_json(const ShardManifest& m) {
    nlohmann::json recordings = nlohmann::json::array();
    for (const auto& r : m.recordings)
        recordings.push_back({{"path", r.path}, {"recording_id", r.recording_id}, {"content_hash", r.content_hash}});
    nlohmann::json overrides = nlohmann::json::array();
    for (const auto& [key, value] : m.overrides) overrides.push_back(key + "=" + value);
    return {{"format", "tapegrid-shard"},
            {"format_version", kShardManifestFormat},
            {"shard", m.shard.index},
            {"shards", m.shard.count},
            {"first_row", m.rows.first_row},
            {"end_row", m.rows.end_row},
            {"tasks", m.tasks},
            {"whole_combinations", m.whole_combinations},
            {"config_fingerprint", m.config_fingerprint},
            {"config_path", m.config_path},
            {"overrides", overrides},
            {"store_directory", m.store_directory},
            {"recordings", recordings},
            {"tapegrid_version", m.tapegrid_version},
            {"started_at", m.started_at},
            {"ended_at", m.ended_at},
            {"finished", m.finished},
            {"rows_written", m.rows_written}};
}

void write_shard_manifest(const std::string& path, const ShardManifest& manifest) {
    const std::string temporary = path + ".tmp";
    {
        std::ofstream out(temporary, std::ios::trunc);
        out << shard_manifest_json(manifest).dump(2) << '\n';
        out.flush();
        if (!out) throw UserError(temporary + ": cannot write");
    }
    std::error_code error;
    std::filesystem::rename(temporary, path, error);
    if (error) throw UserError(path + ": cannot write: " + error.message());
}

ShardManifest read_shard_manifest(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw UserError(path + ": no shard manifest (is this a shard's output directory?)");
    std::stringstream text;
    text << in.rdbuf();
    nlohmann::json json;
    try {
        json = nlohmann::json::parse(text.str());
    } catch (const nlohmann::json::exception& error) {
        throw UserError(path + ": not a shard manifest (invalid JSON: " + error.what() + ")");
    }
    const auto field = [&](const char* name) -> const nlohmann::json& {
        if (!json.is_object() || !json.contains(name))
            throw UserError(path + ": not a shard manifest: the field '" + name + "' is missing");
        return json[name];
    };
    ShardManifest m;
    try {
        if (field("format") != "tapegrid-shard")
            throw UserError(path + ": not a shard manifest (format is " + field("format").dump() + ")");
        if (field("format_version") != kShardManifestFormat)
            throw UserError(path + ": shard manifest format_version " + field("format_version").dump() +
                            "; this tapegrid reads " + std::to_string(kShardManifestFormat));
        const auto whole = [&](const char* name) {
            return json_whole_number<std::uint64_t>(field(name), path + ": " + name);
        };
        m.shard = {static_cast<std::size_t>(whole("shard")), static_cast<std::size_t>(whole("shards"))};
        m.rows = {whole("first_row"), whole("end_row")};
        m.tasks = whole("tasks");
        m.whole_combinations = whole("whole_combinations");
        m.config_fingerprint = field("config_fingerprint").get<std::string>();
        m.config_path = field("config_path").get<std::string>();
        for (const auto& item : field("overrides")) {
            const auto text_item = item.get<std::string>();
            const std::size_t equals = text_item.find('=');
            if (equals == std::string::npos)
                throw UserError(path + ": overrides: '" + text_item + "' is not KEY=VALUE");
            m.overrides.emplace_back(text_item.substr(0, equals), text_item.substr(equals + 1));
        }
        m.store_directory = field("store_directory").get<std::string>();
        for (const auto& item : field("recordings"))
            m.recordings.push_back({item.at("path").get<std::string>(), item.at("recording_id").get<std::string>(),
                                    item.at("content_hash").get<std::string>()});
        m.tapegrid_version = field("tapegrid_version").get<std::string>();
        m.started_at = field("started_at").get<std::string>();
        m.ended_at = field("ended_at").get<std::string>();
        m.finished = field("finished").get<bool>();
        m.rows_written = whole("rows_written");
    } catch (const nlohmann::json::exception& error) {
        throw UserError(path + ": not a shard manifest (a field has the wrong type: " + error.what() + ")");
    }
    if (m.shard.count == 0 || m.shard.index >= m.shard.count || m.rows.end_row < m.rows.first_row)
        throw UserError(path + ": shard manifest: inconsistent shard " + std::to_string(m.shard.index) + " of " +
                        std::to_string(m.shard.count));
    return m;
}

}  // namespace tapegrid
