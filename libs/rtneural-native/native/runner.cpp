// kelly-rtneural-runner: loads an RTNeural model JSON the way the plugin does and streams frames through it.
//
//   runner --model <model.json> --input <frames.bin> --output <outputs.bin> --report <report.json>
//          [--warmup W] [--timed N]
//
// Input (little-endian): "KRNI", u32 version=1, u32 inSize, u32 clips, then per clip u32 frames followed by
// frames*inSize float32. Each clip is run as reset() + one forward() per frame.
// Output: "KRNO", u32 version=1, u32 outSize, u32 clips, per clip u32 frames + frames*outSize float32 (the
// getOutputs() vector after each forward), then u32 timed frames + timed*2 float64: per-frame thread CPU ns,
// then per-frame wall ns. Timing streams W untimed then N timed frames, cycling through the input frames
// (deterministic pseudo-random frames when no clip was given), after one reset().
// Report: a JSON object {"ok", "stage", "messages", "inSize", "outSize", "layers"}.
// Exit codes: 0 ok; 2 usage or I/O; 3 RTNeural threw while parsing (its own message); 4 the loaded model does
// not match the JSON (a skipped layer, a size RTNeural does not check) or the input frames have the wrong size;
// 5 an exception while running. A crash (e.g. SIGSEGV on an unknown activation) ends the process by signal.
#include <RTNeural.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

using json = nlohmann::json;

namespace
{
struct Args
{
    std::string model, input, output, report;
    long warmup = 200;
    long timed = 2000;
};

struct Report
{
    bool ok = false;
    std::string stage = "usage";
    std::vector<std::string> messages;
    int inSize = 0, outSize = 0;
    json layers = json::array();
};

void writeReport(const std::string& path, const Report& r)
{
    json j = { { "ok", r.ok }, { "stage", r.stage }, { "messages", r.messages }, { "inSize", r.inSize },
        { "outSize", r.outSize }, { "layers", r.layers } };
    std::ofstream out(path);
    out << j.dump() << "\n";
}

int fail(const std::string& reportPath, Report& r, const std::string& stage, const std::string& message, int code)
{
    r.ok = false;
    r.stage = stage;
    if(r.messages.empty())
        r.messages.push_back(message);
    if(!reportPath.empty())
        writeReport(reportPath, r);
    std::fprintf(stderr, "%s: %s\n", stage.c_str(), message.c_str());
    return code;
}

bool parseArgs(int argc, char** argv, Args& a, std::string& err)
{
    for(int i = 1; i < argc; ++i)
    {
        std::string k = argv[i];
        if(i + 1 >= argc)
        {
            err = "missing value for " + k;
            return false;
        }
        std::string v = argv[++i];
        if(k == "--model")
            a.model = v;
        else if(k == "--input")
            a.input = v;
        else if(k == "--output")
            a.output = v;
        else if(k == "--report")
            a.report = v;
        else if(k == "--warmup")
            a.warmup = std::stol(v);
        else if(k == "--timed")
            a.timed = std::stol(v);
        else
        {
            err = "unknown flag " + k;
            return false;
        }
    }
    if(a.model.empty() || a.input.empty() || a.output.empty() || a.report.empty())
    {
        err = "usage: runner --model M --input I --output O --report R [--warmup W] [--timed N]";
        return false;
    }
    if(a.warmup < 0 || a.timed < 1)
    {
        err = "--warmup must be >= 0 and --timed >= 1";
        return false;
    }
    return true;
}

bool readU32(std::ifstream& in, uint32_t& v)
{
    unsigned char b[4];
    if(!in.read(reinterpret_cast<char*>(b), 4))
        return false;
    v = uint32_t(b[0]) | (uint32_t(b[1]) << 8) | (uint32_t(b[2]) << 16) | (uint32_t(b[3]) << 24);
    return true;
}

void writeU32(std::ofstream& out, uint32_t v)
{
    const unsigned char b[4] = { uint8_t(v), uint8_t(v >> 8), uint8_t(v >> 16), uint8_t(v >> 24) };
    out.write(reinterpret_cast<const char*>(b), 4);
}

struct Clips
{
    uint32_t inSize = 0;
    std::vector<std::vector<float>> clips; // each frames*inSize
};

bool readInput(const std::string& path, Clips& c, std::string& err)
{
    std::ifstream in(path, std::ios::binary);
    char magic[4];
    uint32_t version = 0, n = 0;
    if(!in || !in.read(magic, 4) || std::memcmp(magic, "KRNI", 4) != 0 || !readU32(in, version) || version != 1)
    {
        err = "input " + path + " is not a KRNI v1 frames file";
        return false;
    }
    if(!readU32(in, c.inSize) || !readU32(in, n))
    {
        err = "input " + path + " is truncated (header)";
        return false;
    }
    for(uint32_t i = 0; i < n; ++i)
    {
        uint32_t frames = 0;
        if(!readU32(in, frames))
        {
            err = "input " + path + " is truncated (clip " + std::to_string(i) + ")";
            return false;
        }
        std::vector<float> data(size_t(frames) * c.inSize);
        if(!data.empty() && !in.read(reinterpret_cast<char*>(data.data()), std::streamsize(data.size() * 4)))
        {
            err = "input " + path + " is truncated (clip " + std::to_string(i) + " data)";
            return false;
        }
        c.clips.push_back(std::move(data));
    }
    return true;
}

std::string dims(const json& j)
{
    if(!j.is_array())
        return j.is_number() ? "a number" : std::string("a ") + j.type_name();
    std::string s = "[" + std::to_string(j.size()) + "]";
    if(!j.empty() && j[0].is_array())
        s += dims(j[0]);
    return s;
}

/** True when j is an array of `rows` arrays of `cols` numbers. */
bool isMatrix(const json& j, size_t rows, size_t cols)
{
    if(!j.is_array() || j.size() != rows)
        return false;
    for(const auto& r : j)
        if(!r.is_array() || r.size() != cols)
            return false;
    return true;
}

bool isVector(const json& j, size_t n) { return j.is_array() && j.size() == n && (n == 0 || j[0].is_number()); }

/**
 * What RTNeural does not check itself: weight arrays whose sizes differ from the declared layer sizes (it
 * zero-pads smaller matrices and reads vectors out of bounds), skipped layer types, and activation layers
 * whose own size breaks the chain. `in` is the declared input size of each layer.
 */
void checkDeclared(const json& model, std::vector<std::string>& problems)
{
    const auto& layers = model.at("layers");
    size_t in = model.at("in_shape").back().get<size_t>();
    for(size_t i = 0; i < layers.size(); ++i)
    {
        const auto& l = layers[i];
        const auto type = l.at("type").get<std::string>();
        const auto& shape = l.at("shape");
        const size_t U = shape.size() == 4 ? shape[2].get<size_t>() * shape[3].get<size_t>() : shape.back().get<size_t>();
        const auto& w = l.at("weights");
        const std::string at = "layers[" + std::to_string(i) + "] (" + type + ")";
        auto expect = [&](bool ok, const std::string& what, const json& got, const std::string& want)
        {
            if(!ok)
                problems.push_back(at + ": " + what + " is " + dims(got) + ", expected " + want);
        };
        const std::string sIn = std::to_string(in), sU = std::to_string(U);
        if(type == "dense" || type == "time-distributed-dense")
        {
            if(w.size() >= 1)
                expect(isMatrix(w[0], in, U), "weights[0] (kernel)", w[0], "[" + sIn + "][" + sU + "]");
            if(w.size() >= 2)
                expect(isVector(w[1], U), "weights[1] (bias)", w[1], "[" + sU + "]");
        }
        else if(type == "lstm" || type == "gru")
        {
            const size_t g = type == "lstm" ? 4 : 3;
            const std::string sG = std::to_string(g * U);
            if(w.size() >= 1)
                expect(isMatrix(w[0], in, g * U), "weights[0] (kernel)", w[0], "[" + sIn + "][" + sG + "]");
            if(w.size() >= 2)
                expect(isMatrix(w[1], U, g * U), "weights[1] (recurrent)", w[1], "[" + sU + "][" + sG + "]");
            if(w.size() >= 3 && type == "lstm")
                expect(isVector(w[2], g * U), "weights[2] (bias)", w[2], "[" + sG + "]");
            if(w.size() >= 3 && type == "gru")
                expect(isMatrix(w[2], 2, g * U), "weights[2] (bias)", w[2], "[2][" + sG + "]");
        }
        else if(type == "conv1d")
        {
            const size_t k = l.at("kernel_size").back().get<size_t>();
            const size_t groups = l.value("groups", 1);
            const size_t perGroup = groups ? in / groups : in;
            bool ok = w.size() >= 1 && w[0].is_array() && w[0].size() == k;
            if(ok)
                for(const auto& tap : w[0])
                    ok = ok && isMatrix(tap, perGroup, U);
            if(w.size() >= 1)
                expect(ok, "weights[0] (kernel)", w[0],
                    "[" + std::to_string(k) + "][" + std::to_string(perGroup) + "][" + sU + "]");
            if(w.size() >= 2)
                expect(isVector(w[1], U), "weights[1] (bias)", w[1], "[" + sU + "]");
        }
        else if(type == "batchnorm")
        {
            if(w.size() != 2 && w.size() != 4)
                problems.push_back(at + ": weights has " + std::to_string(w.size()) +
                    " arrays; RTNeural reads exactly 4 (gamma, beta, mean, variance) or 2 (mean, variance)");
            for(size_t a = 0; a < w.size(); ++a)
                expect(isVector(w[a], in), "weights[" + std::to_string(a) + "]", w[a], "[" + sIn + "]");
            if(U != in)
                problems.push_back(at + ": shape says " + sU + " but the previous layer gives " + sIn);
        }
        else if(type == "prelu")
        {
            if(w.size() >= 1 && w[0].is_array() && w[0].size() >= 1 && w[0][0].is_array())
                expect(isVector(w[0][0], in), "weights[0][0] (alpha)", w[0][0], "[" + sIn + "]");
            if(U != in)
                problems.push_back(at + ": shape says " + sU + " but the previous layer gives " + sIn);
        }
        else if(type == "activation")
        {
            if(!l.contains("activation"))
                problems.push_back(at + ": no \"activation\" key, so RTNeural added no layer");
            else if(U != in)
                problems.push_back(at + ": RTNeural sizes an activation layer from its own shape (" + sU +
                    "), but the previous layer gives " + sIn);
        }
        else if(type != "conv2d" && type != "batchnorm2d")
        {
            problems.push_back(at + ": not a layer type RTNeural knows, so it skipped the layer silently");
        }
        in = U;
    }
}

double threadCpuNs()
{
    timespec ts {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e9 + double(ts.tv_nsec);
}
} // namespace

int main(int argc, char** argv)
{
    Args a;
    Report r;
    std::string err;
    if(!parseArgs(argc, argv, a, err))
        return fail(a.report, r, "usage", err, 2);

    Clips input;
    if(!readInput(a.input, input, err))
        return fail(a.report, r, "io", err, 2);

    // 1. Parse exactly as the plugin does.
    std::unique_ptr<RTNeural::Model<float>> model;
    try
    {
        std::ifstream stream(a.model, std::ifstream::binary);
        if(!stream)
            return fail(a.report, r, "io", "cannot open model " + a.model, 2);
        model = RTNeural::json_parser::parseJson<float>(stream, true);
    }
    catch(const std::exception& e)
    {
        return fail(a.report, r, "parse", e.what(), 3);
    }
    if(!model)
        return fail(a.report, r, "parse", "RTNeural returned no model (in_shape or layers is not an array)", 3);
    if(model->layers.empty())
        return fail(a.report, r, "size", "RTNeural built no layer from this model", 4);
    r.inSize = model->getInSize();
    r.outSize = model->getOutSize();
    for(const auto* l : model->layers)
        r.layers.push_back({ { "name", l->getName() }, { "in", l->in_size }, { "out", l->out_size } });

    // 2. What RTNeural loads without complaint but would run wrongly.
    std::vector<std::string> problems;
    try
    {
        std::ifstream again(a.model, std::ifstream::binary);
        json j;
        again >> j;
        checkDeclared(j, problems);
        const auto& last = j.at("layers").back().at("shape");
        const int declaredOut = last.size() == 4 ? last[2].get<int>() * last[3].get<int>() : last.back().get<int>();
        if(problems.empty() && declaredOut != r.outSize)
            problems.push_back("RTNeural's output has " + std::to_string(r.outSize) + " values but the last layer's shape says " + std::to_string(declaredOut));
    }
    catch(const std::exception& e)
    {
        problems.push_back(std::string("cannot read the declared sizes: ") + e.what());
    }
    for(size_t i = 1; i < model->layers.size(); ++i)
        if(model->layers[i]->in_size != model->layers[i - 1]->out_size)
            problems.push_back("RTNeural layer " + std::to_string(i) + " (" + model->layers[i]->getName() + ") takes " +
                std::to_string(model->layers[i]->in_size) + " values but layer " + std::to_string(i - 1) + " gives " +
                std::to_string(model->layers[i - 1]->out_size));
    if(!problems.empty())
    {
        r.messages = problems;
        return fail(a.report, r, "size", problems.front(), 4);
    }
    if(!input.clips.empty() && int(input.inSize) != r.inSize)
        return fail(a.report, r, "size",
            "input frames have " + std::to_string(input.inSize) + " values, the model takes " + std::to_string(r.inSize), 4);

    std::ofstream out(a.output, std::ios::binary);
    if(!out)
        return fail(a.report, r, "io", "cannot write " + a.output, 2);
    out.write("KRNO", 4);
    writeU32(out, 1);
    writeU32(out, uint32_t(r.outSize));
    writeU32(out, uint32_t(input.clips.size()));

    try
    {
        // 3. Each clip from a fresh reset(), one forward() per frame.
        std::vector<float> frameOut(size_t(r.outSize));
        for(const auto& clip : input.clips)
        {
            const size_t frames = clip.size() / size_t(r.inSize);
            writeU32(out, uint32_t(frames));
            model->reset();
            for(size_t t = 0; t < frames; ++t)
            {
                model->forward(clip.data() + t * size_t(r.inSize));
                out.write(reinterpret_cast<const char*>(model->getOutputs()), std::streamsize(r.outSize * 4));
            }
        }

        // 4. Timing: warm-up, then each timed forward() on its own (thread CPU time and wall time).
        std::vector<float> pool;
        for(const auto& clip : input.clips)
            pool.insert(pool.end(), clip.begin(), clip.end());
        if(pool.empty())
        {
            uint32_t s = 12345;
            pool.resize(size_t(64) * size_t(r.inSize));
            for(auto& v : pool)
            {
                s = s * 1664525u + 1013904223u;
                v = float(double(s) / 2147483648.0 - 1.0);
            }
        }
        const size_t poolFrames = pool.size() / size_t(r.inSize);
        std::vector<double> cpu(size_t(a.timed)), wall(size_t(a.timed));
        volatile float sink = 0;
        model->reset();
        size_t k = 0;
        for(long i = 0; i < a.warmup; ++i)
            sink = sink + model->forward(pool.data() + (k++ % poolFrames) * size_t(r.inSize));
        for(long i = 0; i < a.timed; ++i)
        {
            const float* x = pool.data() + (k++ % poolFrames) * size_t(r.inSize);
            const auto w0 = std::chrono::steady_clock::now();
            const double c0 = threadCpuNs();
            sink = sink + model->forward(x);
            const double c1 = threadCpuNs();
            const auto w1 = std::chrono::steady_clock::now();
            cpu[size_t(i)] = c1 - c0;
            wall[size_t(i)] = double(std::chrono::duration_cast<std::chrono::nanoseconds>(w1 - w0).count());
        }
        writeU32(out, uint32_t(a.timed));
        out.write(reinterpret_cast<const char*>(cpu.data()), std::streamsize(cpu.size() * 8));
        out.write(reinterpret_cast<const char*>(wall.data()), std::streamsize(wall.size() * 8));
    }
    catch(const std::exception& e)
    {
        return fail(a.report, r, "run", e.what(), 5);
    }
    out.close();
    if(!out)
        return fail(a.report, r, "io", "cannot write " + a.output, 2);
    r.ok = true;
    r.stage = "done";
    writeReport(a.report, r);
    return 0;
}
