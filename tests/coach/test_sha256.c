/*
 * test_sha256.c - coach/sha256.c against the examples of FIPS 180-4 (and
 * its companion test vectors): "abc" (one block), the empty message, the
 * 448-bit message (its padding needs a second block), a million 'a's; the
 * lengths around the padding boundary agree whether the data comes in one
 * piece or byte by byte.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "coach/sha256.h"

static void assert_hex(const char *msg, size_t len, const char *want)
{
	char hex[2 * COACH_SHA256_SIZE + 1];
	coach_sha256_hex(msg, len, hex);
	ck_assert_str_eq(hex, want);
}

START_TEST(fips_abc)
{
	assert_hex("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
END_TEST

START_TEST(fips_empty)
{
	assert_hex("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}
END_TEST

START_TEST(fips_448_bits)
{
	const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	ck_assert_uint_eq(strlen(m) * 8, 448);
	assert_hex(m, strlen(m), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}
END_TEST

START_TEST(million_a)
{
	struct coach_sha256 h;
	coach_sha256_init(&h);
	char chunk[1000];
	memset(chunk, 'a', sizeof chunk);
	for (int i = 0; i < 1000; i++)
		coach_sha256_update(&h, chunk, sizeof chunk);
	unsigned char d[COACH_SHA256_SIZE];
	coach_sha256_final(&h, d);
	static const unsigned char want[COACH_SHA256_SIZE] = {
		0xcd, 0xc7, 0x6e, 0x5c, 0x99, 0x14, 0xfb, 0x92, 0x81, 0xa1, 0xc7, 0xe2, 0x84, 0xd7, 0x3e,
		0x67, 0xf1, 0x80, 0x9a, 0x48, 0xa4, 0x97, 0x20, 0x0e, 0x04, 0x6d, 0x39, 0xcc, 0xc7, 0x11,
		0x2c, 0xd0};
	ck_assert_mem_eq(d, want, COACH_SHA256_SIZE);
}
END_TEST

/* Lengths 0..130 (55, 56, 63, 64 are where the padding changes): fed byte
 * by byte, the digest is the one-piece digest. */
START_TEST(pieces_agree)
{
	unsigned char msg[130];
	for (size_t i = 0; i < sizeof msg; i++)
		msg[i] = (unsigned char)(i * 7 + 3);
	for (size_t len = 0; len <= sizeof msg; len++) {
		unsigned char one[COACH_SHA256_SIZE], bytes[COACH_SHA256_SIZE];
		struct coach_sha256 h;
		coach_sha256_init(&h);
		coach_sha256_update(&h, msg, len);
		coach_sha256_final(&h, one);
		coach_sha256_init(&h);
		for (size_t i = 0; i < len; i++)
			coach_sha256_update(&h, msg + i, 1);
		coach_sha256_final(&h, bytes);
		ck_assert_mem_eq(one, bytes, COACH_SHA256_SIZE);
	}
	/* Distinct lengths of the same bytes give distinct digests. */
	char a[65], b[65];
	coach_sha256_hex(msg, 55, a);
	coach_sha256_hex(msg, 56, b);
	ck_assert_str_ne(a, b);
}
END_TEST

Suite *suite_coach_sha256(void)
{
	Suite *s = suite_create("coach_sha256");
	TCase *tc = tcase_create("sha256");
	tcase_add_test(tc, fips_abc);
	tcase_add_test(tc, fips_empty);
	tcase_add_test(tc, fips_448_bits);
	tcase_add_test(tc, million_a);
	tcase_add_test(tc, pieces_agree);
	suite_add_tcase(s, tc);
	return s;
}
