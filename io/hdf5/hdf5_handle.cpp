// HDF5 error-stack reading and small shared helpers.
#include "io/hdf5/hdf5_handle.h"

#include <mutex>

namespace tapegrid::h5 {

void silence_hdf5_errors() {
    static std::once_flag once;
    std::call_once(once, [] { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); });
}

namespace {

herr_t collect_message(unsigned depth, const H5E_error2_t* error, void* client) {
    auto* messages = static_cast<std::string*>(client);
    // The stack is walked from the innermost call outwards; the innermost message is the
    // most specific one, but the outermost often says what was being done. Keep both.
    if (error->desc == nullptr || error->desc[0] == '\0') return 0;
    if (depth == 0) {
        *messages = error->desc;
    } else if (messages->find(error->desc) == std::string::npos) {
        *messages += std::string(" (") + error->desc + ")";
    }
    return 0;
}

}  // namespace

std::string hdf5_error_text() {
    std::string messages;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, collect_message, &messages);
    H5Eclear2(H5E_DEFAULT);
    return messages.empty() ? "HDF5 reported an error" : messages;
}

Handle open_group(hid_t parent, const std::string& name, const std::string& where) {
    if (!link_exists(parent, name)) throw UserError(where + ": missing group '" + name + "'");
    return make_group(
        check_id<UserError>(H5Gopen2(parent, name.c_str(), H5P_DEFAULT), where + ": cannot open group '" + name + "'"));
}

Handle create_group(hid_t parent, const std::string& name) {
    return make_group(
        check_id(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "creating group " + name));
}

bool link_exists(hid_t location, const std::string& name) {
    const htri_t exists = H5Lexists(location, name.c_str(), H5P_DEFAULT);
    return exists > 0;
}

std::vector<std::string> link_names(hid_t group, const std::string& where) {
    std::vector<std::string> names;
    const auto collect = [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
        static_cast<std::vector<std::string>*>(data)->emplace_back(name);
        return 0;
    };
    // In creation order where the group tracks it, else by name.
    const herr_t by_creation = H5Literate(group, H5_INDEX_CRT_ORDER, H5_ITER_INC, nullptr, collect, &names);
    if (by_creation < 0) {
        hdf5_error_text();
        names.clear();
        check_status<UserError>(H5Literate(group, H5_INDEX_NAME, H5_ITER_INC, nullptr, collect, &names),
                                where + ": cannot list the group");
    }
    return names;
}

Handle vlen_string_type() {
    Handle type = make_datatype(check_id(H5Tcopy(H5T_C_S1), "string type"));
    check_status(H5Tset_size(type.get(), H5T_VARIABLE), "string type size");
    check_status(H5Tset_cset(type.get(), H5T_CSET_UTF8), "string type charset");
    return type;
}

}  // namespace tapegrid::h5
