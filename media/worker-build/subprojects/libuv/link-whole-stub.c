/* Empty: mediasoup link_whole()s this stand-in library into the optional
 * libmediasoup-worker target; the real library comes from pkg-config. */
