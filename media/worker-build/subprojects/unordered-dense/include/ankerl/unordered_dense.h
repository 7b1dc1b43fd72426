// Stand-in for ankerl::unordered_dense (https://github.com/martinus/unordered_dense),
// which no Debian package ships. mediasoup only uses `map`, `set` and `hash`,
// so they map onto the standard containers. std::unordered_map keeps iterators
// of other elements valid on erase, which is at least as permissive as the
// original. Slower than the original, but the worker's maps are small.
#ifndef ANKERL_UNORDERED_DENSE_STANDIN_H
#define ANKERL_UNORDERED_DENSE_STANDIN_H

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace ankerl::unordered_dense
{
	// The original hash avalanches integers (std::hash is the identity for
	// them); mediasoup combines these values with a boost-style hash_combine, so
	// a good mix keeps the combined hashes well spread.
	template<typename T, typename Enable = void>
	struct hash
	{
		size_t operator()(const T& value) const noexcept(noexcept(std::hash<T>{}(value)))
		{
			return std::hash<T>{}(value);
		}
	};

	template<typename T>
	struct hash<T, std::enable_if_t<std::is_integral_v<T> || std::is_enum_v<T>>>
	{
		using is_avalanching = void;

		size_t operator()(const T& value) const noexcept
		{
			// splitmix64 finalizer.
			uint64_t x = static_cast<uint64_t>(value);

			x ^= x >> 30;
			x *= 0xbf58476d1ce4e5b9ULL;
			x ^= x >> 27;
			x *= 0x94d049bb133111ebULL;
			x ^= x >> 31;

			return static_cast<size_t>(x);
		}
	};

	template<
	  class Key,
	  class T,
	  class Hash      = hash<Key>,
	  class KeyEqual  = std::equal_to<Key>,
	  class Allocator = std::allocator<std::pair<const Key, T>>>
	using map = std::unordered_map<Key, T, Hash, KeyEqual, Allocator>;

	template<class Key, class Hash = hash<Key>, class KeyEqual = std::equal_to<Key>, class Allocator = std::allocator<Key>>
	using set = std::unordered_set<Key, Hash, KeyEqual, Allocator>;
} // namespace ankerl::unordered_dense

#endif
