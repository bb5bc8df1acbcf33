/*
 * yamlx.h -- just enough libyaml for the DKIM test manifests: load a file
 * as a document and walk its nodes by key.  Header-only (static) because
 * each test file is its own binary.  The document owns every node; free
 * it with yx_free().
 */
#ifndef MT_TEST_YAMLX_H
#define MT_TEST_YAMLX_H

#include <stdio.h>
#include <string.h>

#include <yaml.h>

typedef struct yx {
	yaml_document_t doc;
	int loaded;
} yx;

static inline int
yx_load(yx *y, const char *path)
{
	yaml_parser_t p;
	FILE *f = fopen(path, "rb");
	int ok;

	y->loaded = 0;
	if (f == NULL)
		return 0;
	yaml_parser_initialize(&p);
	yaml_parser_set_input_file(&p, f);
	ok = yaml_parser_load(&p, &y->doc) == 1;
	yaml_parser_delete(&p);
	fclose(f);
	if (ok && yaml_document_get_root_node(&y->doc) == NULL) {
		yaml_document_delete(&y->doc);
		ok = 0;
	}
	y->loaded = ok;
	return ok;
}

static inline void
yx_free(yx *y)
{
	if (y->loaded)
		yaml_document_delete(&y->doc);
	y->loaded = 0;
}

static inline yaml_node_t *
yx_root(yx *y)
{
	return yaml_document_get_root_node(&y->doc);
}

static inline yaml_node_t *
yx_node(yx *y, int id)
{
	return yaml_document_get_node(&y->doc, id);
}

static inline int
yx_is_scalar(const yaml_node_t *n)
{
	return n != NULL && n->type == YAML_SCALAR_NODE;
}

static inline const char *
yx_str(const yaml_node_t *n)
{
	return yx_is_scalar(n) ? (const char *)n->data.scalar.value : NULL;
}

static inline size_t
yx_len(const yaml_node_t *n)
{
	return yx_is_scalar(n) ? n->data.scalar.length : 0;
}

/* The value of `key` in a mapping, or NULL. */
static inline yaml_node_t *
yx_get(yx *y, const yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *pr;
	yaml_node_t *k;

	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (pr = map->data.mapping.pairs.start;
	    pr < map->data.mapping.pairs.top; pr++) {
		k = yx_node(y, pr->key);
		if (yx_is_scalar(k) && strcmp(yx_str(k), key) == 0)
			return yx_node(y, pr->value);
	}
	return NULL;
}

static inline size_t
yx_count(const yaml_node_t *n)
{
	if (n == NULL)
		return 0;
	if (n->type == YAML_SEQUENCE_NODE)
		return (size_t)(n->data.sequence.items.top -
		    n->data.sequence.items.start);
	if (n->type == YAML_MAPPING_NODE)
		return (size_t)(n->data.mapping.pairs.top -
		    n->data.mapping.pairs.start);
	return 0;
}

static inline yaml_node_t *
yx_item(yx *y, const yaml_node_t *seq, size_t i)
{
	if (seq == NULL || seq->type != YAML_SEQUENCE_NODE ||
	    i >= yx_count(seq))
		return NULL;
	return yx_node(y, seq->data.sequence.items.start[i]);
}

/* The i-th pair of a mapping: its key (scalar text) and value node. */
static inline const char *
yx_pair(yx *y, const yaml_node_t *map, size_t i, yaml_node_t **value)
{
	yaml_node_pair_t *pr;

	if (map == NULL || map->type != YAML_MAPPING_NODE ||
	    i >= yx_count(map))
		return NULL;
	pr = map->data.mapping.pairs.start + i;
	*value = yx_node(y, pr->value);
	return yx_str(yx_node(y, pr->key));
}

#endif
