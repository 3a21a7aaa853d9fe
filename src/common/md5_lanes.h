// The lane scheduler behind Md5Many's SIMD kernels (md5_simd.cc); include it only there.
//
// A kernel's step runs MD5's compression function on one 64-byte block in each of its lanes (a
// lane is a 32-bit element of a vector register; a step advances several vectors, "groups",
// side by side). The scheduler keeps the lanes fed: each lane hashes one input at a time, block
// by block (the input's whole blocks straight from its bytes, then one or two padded tail blocks
// from a small buffer); when its input is done, the lane writes the digest and takes the next
// input. Inputs of different lengths therefore share steps without being sorted, and lanes only
// idle at the end of a batch, where the last one or two inputs are left to the scalar code.
//
// RunLanes is always inlined, so that it is compiled with the instruction sets of the kernel's
// entry point (which can then inline the kernel's PadTail).
#pragma once

#include <algorithm>
#include <cstring>
#include <span>
#include <string_view>

#include "common/md5_internal.h"

namespace tarn::md5_internal {

// One step: the compression function on blocks[l] for every lane l. `state` is 4 rows of one
// word per lane (row j holds state word j). A lane with nothing to do points at a readable
// block and its result is ignored.
using StepFn = void (*)(uint32_t* state, const uint8_t* const* blocks);

// What RunLanes needs of a kernel K:
//   static constexpr int kLanesPerGroup;  // 32-bit lanes in one vector register
//   static constexpr int kMaxGroups;      // the most vectors a step interleaves
//   static constexpr int kScalarBelow;    // finish on the scalar code once this few lanes are
//                                         // busy and no input is waiting
//   static StepFn StepFor(int groups);    // the step for 1..kMaxGroups groups
//   static uint32_t PadTail(...);         // as md5_internal::PadTail; tail is 64-byte aligned

namespace lanes_detail {

struct alignas(64) Lane {
    uint8_t tail[128];   // the padded last block or two of the input
    size_t input;        // index of the input being hashed
    size_t blocks_left;  // counting the one the lane points at; 0 when idle
    size_t tail_blocks;  // 1 or 2
};

// Where an idle lane points.
alignas(64) inline constexpr uint8_t kIdleBlock[64] = {};

template <class K>
__attribute__((always_inline)) inline void StartLane(Lane& lane, const uint8_t*& block,
                                                     uint32_t* state, int lanes, int l,
                                                     std::string_view data, size_t input) {
    const auto* p = reinterpret_cast<const uint8_t*>(data.data());
    const size_t whole = data.size() / 64;
    lane.tail_blocks = K::PadTail(lane.tail, p + 64 * whole, data.size() % 64, data.size());
    lane.blocks_left = whole + lane.tail_blocks;
    lane.input = input;
    block = whole > 0 ? p : lane.tail;
    for (int j = 0; j < 4; ++j) state[j * lanes + l] = kInit[j];
}

}  // namespace lanes_detail

// out[i] = Md5(inputs[i]) for every input, through kernel K.
template <class K>
__attribute__((always_inline)) inline void RunLanes(std::span<const std::string_view> inputs,
                                                    Md5Digest* out) {
    using lanes_detail::Lane;
    constexpr int kMaxLanes = K::kLanesPerGroup * K::kMaxGroups;
    const size_t n = inputs.size();
    // A small batch gets fewer groups: every lane of a step costs the same, busy or not.
    const int groups = static_cast<int>(
        std::min<size_t>(K::kMaxGroups, (n + K::kLanesPerGroup - 1) / K::kLanesPerGroup));
    const int lanes = groups * K::kLanesPerGroup;
    const StepFn step = K::StepFor(groups);

    alignas(64) uint32_t state[4 * kMaxLanes];
    const uint8_t* blocks[kMaxLanes];
    Lane lane[kMaxLanes];
    size_t next = 0;
    int busy = 0;
    for (int l = 0; l < lanes; ++l) {
        if (next < n) {
            lanes_detail::StartLane<K>(lane[l], blocks[l], state, lanes, l, inputs[next], next);
            ++next;
            ++busy;
        } else {
            lane[l].blocks_left = 0;
            blocks[l] = lanes_detail::kIdleBlock;
        }
    }
    while (busy > K::kScalarBelow || (busy > 0 && next < n)) {
        step(state, blocks);
        for (int l = 0; l < lanes; ++l) {
            Lane& ln = lane[l];
            if (ln.blocks_left == 0) continue;
            if (--ln.blocks_left == 0) {
                // Word by word: four 4-byte stores read back as one 16-byte load would stall.
                uint8_t* digest = out[ln.input].data();
                for (int j = 0; j < 4; ++j) std::memcpy(digest + 4 * j, &state[j * lanes + l], 4);
                if (next < n) {
                    lanes_detail::StartLane<K>(ln, blocks[l], state, lanes, l, inputs[next], next);
                    ++next;
                } else {
                    --busy;
                    blocks[l] = lanes_detail::kIdleBlock;
                }
            } else if (ln.blocks_left == ln.tail_blocks) {
                blocks[l] = ln.tail;
            } else {
                blocks[l] += 64;
            }
        }
    }
    // The stragglers, each from its lane's state on.
    for (int l = 0; l < lanes && busy > 0; ++l) {
        Lane& ln = lane[l];
        if (ln.blocks_left == 0) continue;
        uint32_t h[4];
        for (int j = 0; j < 4; ++j) h[j] = state[j * lanes + l];
        for (const uint8_t* block = blocks[l]; ln.blocks_left > 0; --ln.blocks_left) {
            CompressScalar(h, block);
            block = ln.blocks_left - 1 == ln.tail_blocks ? ln.tail : block + 64;
        }
        std::memcpy(out[ln.input].data(), h, 16);
        --busy;
    }
}

}  // namespace tarn::md5_internal
