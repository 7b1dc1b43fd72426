// libsrtp 3 API subset used by mediasoup's worker, implemented over Debian's
// libsrtp 2.5 (mediasoup vendors a libsrtp 3 beta that no distribution ships).
// Covered: the opaque policy object (srtp_policy_create/set_ssrc/set_profile/
// add_key/set_allow_repeat_tx/set_window_size/destroy), out-of-place
// srtp_protect/unprotect(_rtcp) with size_t lengths, srtp_stream_remove and
// the two error codes libsrtp 2 lacks. C++ only: the out-of-place calls are
// overloads of libsrtp 2's in-place C functions.
#ifndef MS_SRTP3_COMPAT_H
#define MS_SRTP3_COMPAT_H

#ifndef __cplusplus
#error "this libsrtp 3 compatibility header is C++ only"
#endif

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>

// In libsrtp 3 `srtp_policy_t` is a pointer to an opaque struct, in libsrtp 2
// it is the struct itself: rename libsrtp 2's struct while including it.
#define srtp_policy_t srtp2_policy_t
#include <srtp2/srtp.h>
#undef srtp_policy_t

typedef srtp2_policy_t* srtp_policy_t;

// Error codes added in libsrtp 3 (same values as there).
inline constexpr srtp_err_status_t srtp_err_status_buffer_small = static_cast<srtp_err_status_t>(28);
inline constexpr srtp_err_status_t srtp_err_status_cryptex_err  = static_cast<srtp_err_status_t>(29);

/* Policy object. */

inline srtp_err_status_t srtp_policy_create(srtp_policy_t* policy)
{
	if (policy == nullptr)
	{
		return srtp_err_status_bad_param;
	}

	*policy = static_cast<srtp_policy_t>(std::calloc(1, sizeof(srtp2_policy_t)));

	return (*policy != nullptr) ? srtp_err_status_ok : srtp_err_status_alloc_fail;
}

inline void srtp_policy_destroy(srtp_policy_t policy)
{
	if (policy == nullptr)
	{
		return;
	}

	if (policy->key != nullptr)
	{
		// Wipe the master key copy before freeing it.
		std::memset(policy->key, 0, SRTP_MAX_KEY_LEN);
		std::free(policy->key);
	}

	std::free(policy);
}

inline srtp_err_status_t srtp_policy_set_ssrc(srtp_policy_t policy, srtp_ssrc_t ssrc)
{
	if (policy == nullptr)
	{
		return srtp_err_status_bad_param;
	}

	policy->ssrc = ssrc;

	return srtp_err_status_ok;
}

inline srtp_err_status_t srtp_policy_set_profile(srtp_policy_t policy, srtp_profile_t profile)
{
	if (policy == nullptr)
	{
		return srtp_err_status_bad_param;
	}

	const srtp_err_status_t err = srtp_crypto_policy_set_from_profile_for_rtp(&policy->rtp, profile);

	if (err != srtp_err_status_ok)
	{
		return err;
	}

	return srtp_crypto_policy_set_from_profile_for_rtcp(&policy->rtcp, profile);
}

// libsrtp 2 takes one buffer holding master key followed by master salt.
inline srtp_err_status_t srtp_policy_add_key(
  srtp_policy_t policy,
  const uint8_t* key,
  size_t keyLen,
  const uint8_t* salt,
  size_t saltLen,
  const uint8_t* mki,
  size_t mkiLen)
{
	if (policy == nullptr || key == nullptr || (saltLen > 0 && salt == nullptr))
	{
		return srtp_err_status_bad_param;
	}

	// MKI and several keys per policy are not needed by mediasoup.
	if (mki != nullptr || mkiLen != 0 || policy->key != nullptr)
	{
		return srtp_err_status_bad_param;
	}

	if (keyLen + saltLen > SRTP_MAX_KEY_LEN)
	{
		return srtp_err_status_bad_param;
	}

	auto* buffer = static_cast<unsigned char*>(std::calloc(1, SRTP_MAX_KEY_LEN));

	if (buffer == nullptr)
	{
		return srtp_err_status_alloc_fail;
	}

	std::memcpy(buffer, key, keyLen);

	if (saltLen > 0)
	{
		std::memcpy(buffer + keyLen, salt, saltLen);
	}

	policy->key = buffer;

	return srtp_err_status_ok;
}

inline srtp_err_status_t srtp_policy_set_allow_repeat_tx(srtp_policy_t policy, bool allow)
{
	if (policy == nullptr)
	{
		return srtp_err_status_bad_param;
	}

	policy->allow_repeat_tx = allow ? 1 : 0;

	return srtp_err_status_ok;
}

inline srtp_err_status_t srtp_policy_set_window_size(srtp_policy_t policy, size_t windowSize)
{
	if (policy == nullptr)
	{
		return srtp_err_status_bad_param;
	}

	policy->window_size = static_cast<unsigned long>(windowSize);

	return srtp_err_status_ok;
}

/* Out-of-place protect/unprotect over libsrtp 2's in-place calls. */

namespace srtp3_compat
{
	using InPlaceFn = srtp_err_status_t (*)(srtp_t, void*, int*);

	// Copies `in` to `out` when they differ (libsrtp 2 works in place) and runs
	// `fn` there. `room` is what `fn` may append (the SRTP/SRTCP trailer).
	inline srtp_err_status_t Run(
	  InPlaceFn fn, srtp_t ctx, const uint8_t* in, size_t inLen, uint8_t* out, size_t* outLen, size_t room)
	{
		if (ctx == nullptr || in == nullptr || out == nullptr || outLen == nullptr)
		{
			return srtp_err_status_bad_param;
		}

		if (inLen > static_cast<size_t>(std::numeric_limits<int>::max()) - room)
		{
			return srtp_err_status_bad_param;
		}

		if (*outLen < inLen + room)
		{
			return srtp_err_status_buffer_small;
		}

		if (out != in)
		{
			std::memmove(out, in, inLen);
		}

		int len                     = static_cast<int>(inLen);
		const srtp_err_status_t err = fn(ctx, out, &len);

		if (err == srtp_err_status_ok)
		{
			*outLen = static_cast<size_t>(len);
		}

		return err;
	}
} // namespace srtp3_compat

// libsrtp 2 may append up to SRTP_MAX_TRAILER_LEN bytes (plus the 4-byte
// SRTCP index for RTCP); unprotect only shrinks the packet.
inline srtp_err_status_t srtp_protect(
  srtp_t ctx, const uint8_t* rtp, size_t rtpLen, uint8_t* srtp, size_t* srtpLen, size_t /*mkiIndex*/)
{
	return srtp3_compat::Run(::srtp_protect, ctx, rtp, rtpLen, srtp, srtpLen, SRTP_MAX_TRAILER_LEN);
}

inline srtp_err_status_t srtp_unprotect(
  srtp_t ctx, const uint8_t* srtp, size_t srtpLen, uint8_t* rtp, size_t* rtpLen)
{
	return srtp3_compat::Run(::srtp_unprotect, ctx, srtp, srtpLen, rtp, rtpLen, 0);
}

inline srtp_err_status_t srtp_protect_rtcp(
  srtp_t ctx, const uint8_t* rtcp, size_t rtcpLen, uint8_t* srtcp, size_t* srtcpLen, size_t /*mkiIndex*/)
{
	return srtp3_compat::Run(
	  ::srtp_protect_rtcp, ctx, rtcp, rtcpLen, srtcp, srtcpLen, SRTP_MAX_TRAILER_LEN + 4);
}

inline srtp_err_status_t srtp_unprotect_rtcp(
  srtp_t ctx, const uint8_t* srtcp, size_t srtcpLen, uint8_t* rtcp, size_t* rtcpLen)
{
	return srtp3_compat::Run(::srtp_unprotect_rtcp, ctx, srtcp, srtcpLen, rtcp, rtcpLen, 0);
}

// `ssrc` in network byte order, as in both libsrtp versions.
inline srtp_err_status_t srtp_stream_remove(srtp_t session, uint32_t ssrc)
{
	return srtp_remove_stream(session, ssrc);
}

#endif
