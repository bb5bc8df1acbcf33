/* reasons.h -- the reason table (reasons.c): static, nothing to free. */
#ifndef MT_DKIM_REASONS_H
#define MT_DKIM_REASONS_H

#include <mailtriage/dkim.h>

typedef struct mt_dkim_reason_info {
	const char *name;       /* stable, for JSON */
	mt_dkim_result result;  /* the result this reason gives */
	const char *fix;
} mt_dkim_reason_info;

const mt_dkim_reason_info *mt_dkim_reason_info_of(mt_dkim_reason r);

#endif
