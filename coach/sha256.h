/*
 * sha256.h - SHA-256 (FIPS 180-4), for the hash of a submitted source in
 * an exercise result file: a digest that names the exact bytes graded, so
 * `exercise grade` can tell a source edited after the check from the one
 * the result was written for.  Small, self-contained, no dependency.
 *
 *	struct coach_sha256 h;
 *	coach_sha256_init(&h);
 *	coach_sha256_update(&h, data, len);      // as many times as needed
 *	unsigned char digest[COACH_SHA256_SIZE];
 *	coach_sha256_final(&h, digest);
 *
 * coach_sha256_hex does all of it for one buffer, as 64 lowercase hex digits.
 */
#ifndef CHANLAB_COACH_SHA256_H
#define CHANLAB_COACH_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define COACH_SHA256_SIZE 32

struct coach_sha256 {
	uint32_t state[8];
	uint64_t bytes;              /* message length so far */
	unsigned char block[64];     /* the block being filled */
	size_t used;                 /* bytes of it filled */
};

void coach_sha256_init(struct coach_sha256 *h);
void coach_sha256_update(struct coach_sha256 *h, const void *data, size_t len);
/* Pads, writes the digest; h must be initialised again before reuse. */
void coach_sha256_final(struct coach_sha256 *h, unsigned char digest[COACH_SHA256_SIZE]);

/* The digest of data[0..len) as 64 hex digits and a NUL, into hex. */
void coach_sha256_hex(const void *data, size_t len, char hex[2 * COACH_SHA256_SIZE + 1]);

#endif
