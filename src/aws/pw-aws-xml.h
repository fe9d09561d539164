/* pw-aws-xml.h: the XML of S3, IAM and STS answers, and its JSON form
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _PwAwsXmlNode PwAwsXmlNode;

struct _PwAwsXmlNode
{
  char *name;            /* local name, without a namespace prefix */
  GString *text;
  GPtrArray *children;   /* of PwAwsXmlNode */
};

PwAwsXmlNode *pw_aws_xml_parse       (const char         *data,
                                      gsize               length,
                                      GError            **error);
void          pw_aws_xml_node_free   (PwAwsXmlNode       *node);
PwAwsXmlNode *pw_aws_xml_node_child  (const PwAwsXmlNode *node,
                                      const char         *name);
const char   *pw_aws_xml_node_child_text (const PwAwsXmlNode *node,
                                          const char         *name);
JsonNode     *pw_aws_xml_node_to_json (const PwAwsXmlNode *node);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwAwsXmlNode, pw_aws_xml_node_free)

G_END_DECLS
