/*
 * yaml_json.h -- test helper (header-only): a YAML file as jansson JSON,
 * through libyaml's document loader (anchors and aliases resolved).  Plain
 * true/false/null/~ become JSON values, every other scalar a string.  With
 * `all`, every document of a multi-document stream goes into one array.
 * Shared by tests/authres and tests/arc.
 */
#ifndef MT_TEST_YAML_JSON_H
#define MT_TEST_YAML_JSON_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>
#include <yaml.h>

/* A libyaml document node as JSON: plain true/false/null/~ become JSON
 * values, every other scalar a string (so '1' and 1 compare alike). */
static json_t *
node_json(yaml_document_t *doc, yaml_node_t *n, int depth)
{
	json_t *j;

	if (n == NULL || depth > 64)
		return NULL;
	switch (n->type) {
	case YAML_SCALAR_NODE: {
		const char *v = (const char *)n->data.scalar.value;
		size_t len = n->data.scalar.length;

		if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
			if (strcmp(v, "true") == 0)
				return json_true();
			if (strcmp(v, "false") == 0)
				return json_false();
			if (strcmp(v, "null") == 0 || strcmp(v, "~") == 0 ||
			    len == 0)
				return json_null();
		}
		return json_stringn(v, len);
	}
	case YAML_SEQUENCE_NODE: {
		yaml_node_item_t *it;

		j = json_array();
		for (it = n->data.sequence.items.start;
		    it < n->data.sequence.items.top; it++)
			json_array_append_new(j, node_json(doc,
			    yaml_document_get_node(doc, *it), depth + 1));
		return j;
	}
	case YAML_MAPPING_NODE: {
		yaml_node_pair_t *p;

		j = json_object();
		for (p = n->data.mapping.pairs.start;
		    p < n->data.mapping.pairs.top; p++) {
			yaml_node_t *k = yaml_document_get_node(doc, p->key);

			if (k == NULL || k->type != YAML_SCALAR_NODE)
				continue;
			json_object_set_new(j, (const char *)k->data.scalar.value,
			    node_json(doc, yaml_document_get_node(doc,
			    p->value), depth + 1));
		}
		return j;
	}
	default:
		return NULL;
	}
}

static json_t *
mt_t_yaml_load(const char *path, bool all)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root;
	FILE *f;
	json_t *j = NULL, *arr = all ? json_array() : NULL;

	if ((f = fopen(path, "rb")) == NULL) {
		json_decref(arr);
		return NULL;
	}
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, f);
	for (;;) {
		if (!yaml_parser_load(&parser, &doc)) {
			fprintf(stderr, "%s: YAML error: %s\n", path,
			    parser.problem ? parser.problem : "?");
			break;
		}
		root = yaml_document_get_root_node(&doc);
		if (root == NULL) {
			yaml_document_delete(&doc);
			break;
		}
		j = node_json(&doc, root, 0);
		yaml_document_delete(&doc);
		if (!all)
			break;
		if (j != NULL)
			json_array_append_new(arr, j);
		j = NULL;
	}
	yaml_parser_delete(&parser);
	fclose(f);
	return all ? arr : j;
}

#endif
