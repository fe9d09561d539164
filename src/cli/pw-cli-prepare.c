/* pw-cli-prepare.c: `personalize-workshop-cli prepare`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-cli"

#include "pw-config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pw-cli.h"
#include "pw-data.h"

typedef struct
{
  gboolean quiet;
  gint64   last_print;
  gboolean downloading;
} CliProgress;

static void
progress_cb (PwPreparePhase phase,
             guint64        done,
             guint64        total,
             gpointer       user_data)
{
  CliProgress *p = user_data;
  gint64 now;

  if (p->quiet)
    return;
  if (phase != PW_PREPARE_DOWNLOADING)
    {
      if (p->downloading)
        g_printerr ("\n");
      p->downloading = FALSE;
      switch (phase)
        {
        case PW_PREPARE_READING:
          g_printerr ("%s\n", _("Reading…"));
          break;
        case PW_PREPARE_SPLITTING:
          g_printerr ("%s\n", _("Splitting…"));
          break;
        case PW_PREPARE_WRITING:
          g_printerr ("%s\n", _("Writing…"));
          break;
        default:
          break;
        }
      return;
    }
  now = g_get_monotonic_time ();
  if (p->downloading && now - p->last_print < 200000 && (total == 0 || done < total))
    return;
  p->last_print = now;
  p->downloading = TRUE;
  if (total > 0)
    g_printerr ("\r%s %5.1f%% (%" G_GUINT64_FORMAT " / %" G_GUINT64_FORMAT ")", _("Downloading…"),
                100.0 * done / total, done, total);
  else
    g_printerr ("\r%s %" G_GUINT64_FORMAT, _("Downloading…"), done);
}

static void
append_json_string (GString    *out,
                    const char *s)
{
  g_string_append_c (out, '"');
  for (; *s != '\0'; s++)
    {
      guchar c = (guchar) *s;

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

static void
append_number (GString *out,
               double   v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (v == floor (v) && fabs (v) < 1e15)
    g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) v);
  else
    g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.6g", v));
}

static void
append_activity (GString          *out,
                 const char       *name,
                 const PwActivity *a)
{
  g_string_append_printf (out, "\"%s\":{\"users\":%u,\"min\":%u,\"median\":", name, a->n_users, a->min);
  append_number (out, a->median);
  g_string_append_printf (out, ",\"max\":%u,\"mean\":", a->max);
  append_number (out, round (a->mean * 100) / 100);
  g_string_append_c (out, '}');
}

static void
print_json (PwPrepareResult *r,
            const char      *out_dir)
{
  g_autoptr(GString) out = g_string_new ("{\"source\":");
  PwSplit *s = r->split;
  struct { const char *name; guint64 value; } counts[] = {
    { "interactions", r->interactions->n_rows },
    { "users", r->interactions->n_users },
    { "items", r->interactions->n_items },
    { "catalog_items", r->items ? r->items->n_items : 0 },
    { "warm_items", s->n_warm_items },
    { "cold_items", s->n_cold_items },
    { "warm_rows", s->n_warm_rows },
    { "coldstart_rows", s->n_cold_rows },
    { "training_rows", s->n_training_rows },
    { "validation_rows", s->n_validation_rows },
    { "training_items", s->n_training_items },
    { "validation_items", s->n_validation_items },
    { "training_users", s->n_training_users },
    { "validation_users", s->n_validation_users },
    { "skipped_rows", r->report.n_skipped },
    { "seed", s->options.seed },
  };

  append_json_string (out, pw_source_to_string (r->source));
  for (guint k = 0; k < G_N_ELEMENTS (counts); k++)
    g_string_append_printf (out, ",\"%s\":%" G_GUINT64_FORMAT, counts[k].name, counts[k].value);
  g_string_append (out, ",\"warm_fraction\":");
  append_number (out, s->options.warm_fraction);
  g_string_append (out, ",\"holdout_fraction\":");
  append_number (out, s->options.holdout_fraction);
  g_string_append (out, ",\"activity\":{");
  append_activity (out, "whole", &r->stats->whole);
  g_string_append_c (out, ',');
  append_activity (out, "training", &r->stats->training);
  g_string_append_c (out, ',');
  append_activity (out, "validation", &r->stats->validation);
  g_string_append_c (out, '}');
  if (out_dir != NULL)
    {
      g_autofree char *utf8 = g_filename_display_name (out_dir);

      g_string_append (out, ",\"out\":");
      append_json_string (out, utf8);
    }
  g_string_append (out, "}\n");
  fputs (out->str, stdout);
  fflush (stdout);
}

static void
print_activity (const char       *label,
                const PwActivity *a)
{
  g_print ("  %-12s %s %u, %s %g, %s %u\n", label, _("min"), a->min, _("median"), a->median,
           _("max"), a->max);
}

static void
print_summary (PwPrepareResult *r,
               const char      *out)
{
  PwSplit *s = r->split;

  if (r->source == PW_SOURCE_SYNTHETIC)
    g_print ("%s\n", _("Synthetic data (made up by this application, not MovieLens)"));
  g_print (_("%u interactions, %u users, %u items\n"),
           r->interactions->n_rows, r->interactions->n_users, r->interactions->n_items);
  if (r->report.n_skipped > 0)
    {
      g_autofree char *n = g_strdup_printf ("%" G_GUINT64_FORMAT, r->report.n_skipped);

      g_print (_("%s bad rows skipped (first: %s)\n"), n, r->report.first_skipped);
    }
  g_print (_("Items: %u warm, %u cold\n"), s->n_warm_items, s->n_cold_items);
  g_print (_("Training: %u rows, %u users, %u items\n"),
           s->n_training_rows, s->n_training_users, s->n_training_items);
  g_print (_("Validation: %u rows, %u users, %u items\n"),
           s->n_validation_rows, s->n_validation_users, s->n_validation_items);
  g_print (_("Cold-start: %u rows\n"), s->n_cold_rows);
  g_print ("%s\n", _("Interactions per user:"));
  print_activity (_("whole"), &r->stats->whole);
  print_activity (_("training"), &r->stats->training);
  print_activity (_("validation"), &r->stats->validation);
  if (out != NULL)
    g_print (_("Written to %s\n"), out);
}

static gboolean
parse_fraction (const char *text,
                double     *value)
{
  char *end = NULL;

  if (text == NULL)
    return TRUE;
  *value = g_ascii_strtod (text, &end);
  return end != text && *end == '\0' && *value >= 0.0 && *value <= 1.0;
}

int
pw_cli_prepare (int    argc,
                char **argv)
{
  g_autofree char *source = NULL, *input = NULL, *items = NULL, *out = NULL;
  g_autofree char *warm = NULL, *holdout = NULL, *seed_text = NULL;
  gboolean skip_bad_rows = FALSE, json = FALSE, quiet = FALSE;
  GOptionEntry entries[] = {
    { "source", 0, 0, G_OPTION_ARG_STRING, &source,
      N_("Where the data comes from: synthetic, ml-1m, ml-100k, ml-latest-small or csv"), N_("SOURCE") },
    { "input", 0, 0, G_OPTION_ARG_FILENAME, &input,
      N_("The dataset folder (ml-*) or interactions file (csv)"), N_("PATH") },
    { "items", 0, 0, G_OPTION_ARG_FILENAME, &items, N_("An items CSV (csv)"), N_("PATH") },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_("The folder to write the files to"), N_("DIR") },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed_text, N_("The split’s random seed (42)"), N_("N") },
    { "warm-fraction", 0, 0, G_OPTION_ARG_STRING, &warm, N_("The share of warm items (0.5)"), N_("F") },
    { "holdout-fraction", 0, 0, G_OPTION_ARG_STRING, &holdout,
      N_("The share of each user’s latest interactions held out for validation (0.1)"), N_("F") },
    { "skip-bad-rows", 0, 0, G_OPTION_ARG_NONE, &skip_bad_rows, N_("Skip bad rows instead of stopping"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the counts as one JSON object"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("Print no progress"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PwPrepareResult) result = NULL;
  PwPrepareOptions options;
  CliProgress progress = { 0 };

  g_option_context_set_summary (context, _("Prepare the workshop’s data: read, split and write the CSV files."));
  g_option_context_add_main_entries (context, entries, PW_GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s: %s\n", argv[0], error->message);
      return 2;
    }
  if (argc > 1)
    {
      g_printerr (_("%s: unexpected argument “%s”\n"), argv[0], argv[1]);
      return 2;
    }

  pw_prepare_options_init (&options);
  if (source == NULL || !pw_source_from_string (source, &options.source))
    {
      g_printerr (_("%s: --source must be one of synthetic, ml-1m, ml-100k, ml-latest-small, csv\n"), argv[0]);
      return 2;
    }
  if (out == NULL)
    {
      g_printerr (_("%s: --out DIR is required\n"), argv[0]);
      return 2;
    }
  if (options.source == PW_SOURCE_CSV && input == NULL)
    {
      g_printerr (_("%s: --source csv needs --input FILE\n"), argv[0]);
      return 2;
    }
  if (items != NULL && options.source != PW_SOURCE_CSV)
    {
      g_printerr (_("%s: --items only goes with --source csv\n"), argv[0]);
      return 2;
    }
  if (input != NULL && options.source == PW_SOURCE_SYNTHETIC)
    {
      g_printerr (_("%s: --input does not go with --source synthetic\n"), argv[0]);
      return 2;
    }
  if (seed_text != NULL)
    {
      guint64 seed;

      if (!g_ascii_string_to_unsigned (seed_text, 10, 0, G_MAXUINT32, &seed, NULL))
        {
          g_printerr (_("%s: --seed must be a whole number from 0 to 4294967295\n"), argv[0]);
          return 2;
        }
      options.split.seed = (guint32) seed;
    }
  if (!parse_fraction (warm, &options.split.warm_fraction) ||
      !parse_fraction (holdout, &options.split.holdout_fraction))
    {
      g_printerr (_("%s: fractions must be numbers from 0 to 1\n"), argv[0]);
      return 2;
    }
  options.input = input;
  options.items = items;
  options.output_dir = out;
  options.flags = skip_bad_rows ? PW_READ_SKIP_BAD_ROWS : PW_READ_NONE;
  options.base_url = g_getenv ("PW_MOVIELENS_BASE_URL");

  progress.quiet = quiet || (json && !g_getenv ("PW_SHOW_PROGRESS") && options.input != NULL);
  result = pw_prepare_run (&options, progress_cb, &progress, NULL, &error);
  if (progress.downloading)
    g_printerr ("\n");
  if (result == NULL)
    {
      g_printerr ("%s: %s\n", argv[0], error->message);
      return 1;
    }

  if (json)
    print_json (result, out);
  else
    print_summary (result, out);
  return 0;
}
