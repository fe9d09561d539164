/* test-data-csv.c: the Personalize-format interactions and items readers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "pw-interactions.h"
#include "pw-items.h"

static PwInteractions *
parse (const char   *text,
       PwReadFlags   flags,
       PwReadReport *report,
       GError      **error)
{
  return pw_interactions_parse_csv (text, strlen (text), "t.csv", flags, report, error);
}

static void
test_basic (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PwInteractions) t =
    parse ("USER_ID,ITEM_ID,EVENT_VALUE,TIMESTAMP,EVENT_TYPE\n"
           "1,10,5,100,RATING\n"
           "2,20,3.5,101,RATING\n"
           "1,20,,102,CLICK\n", 0, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (t->n_rows, ==, 3);
  g_assert_cmpuint (t->n_users, ==, 2);
  g_assert_cmpuint (t->n_items, ==, 2);
  g_assert_cmpstr (pw_interactions_get_user_id (t, t->users[2]), ==, "1");
  g_assert_cmpstr (pw_interactions_get_item_id (t, t->items[1]), ==, "20");
  g_assert_cmpint (t->timestamps[1], ==, 101);
  g_assert_cmpfloat (t->values[1], ==, 3.5f);
  g_assert_true (isnan (t->values[2]));
  g_assert_cmpstr (pw_interactions_get_row_event_type (t, 2), ==, "CLICK");
  g_assert_true (t->has_event_type);
  g_assert_true (t->has_event_value);
}

static void
test_any_order_case (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PwInteractions) t =
    parse ("\xEF\xBB\xBFtimestamp,Item_Id, user_id ,EXTRA\r\n"
           "\r\n"
           "5,\"a,b\",\"u \"\"1\"\"\",x\r\n"
           "\r\n"
           "6,c,u2,y\r\n", 0, NULL, &error);
  guint idx;

  g_assert_no_error (error);
  g_assert_cmpuint (t->n_rows, ==, 2);
  g_assert_cmpstr (pw_interactions_get_item_id (t, t->items[0]), ==, "a,b");
  g_assert_cmpstr (pw_interactions_get_user_id (t, t->users[0]), ==, "u \"1\"");
  g_assert_true (pw_interactions_lookup_user (t, "u2", &idx));
  g_assert_cmpuint (idx, ==, 1);
  g_assert_false (t->has_event_type);
  g_assert_false (t->has_event_value);
  g_assert_true (isnan (t->values[0]));
  g_assert_cmpstr (pw_interactions_get_row_event_type (t, 0), ==, "");
}

static void
expect_error (const char *text,
              int         code,
              const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PwInteractions) t = parse (text, 0, NULL, &error);

  g_assert_null (t);
  g_assert_error (error, PW_DATA_ERROR, code);
  if (strstr (error->message, fragment) == NULL)
    g_error ("“%s” does not contain “%s”", error->message, fragment);
}

static void
test_errors (void)
{
  expect_error ("", PW_DATA_ERROR_HEADER, "t.csv is empty");
  expect_error ("USER_ID,ITEM_ID\n1,2\n", PW_DATA_ERROR_HEADER, "no TIMESTAMP column");
  expect_error ("USER_ID,ITEM_ID,TIMESTAMP,user_id\n", PW_DATA_ERROR_HEADER,
                "names USER_ID twice (columns 1 and 4)");
  expect_error ("USER_ID,ITEM_ID,TIMESTAMP,X,x\n", PW_DATA_ERROR_HEADER, "names X twice");
  expect_error ("USER_ID,ITEM_ID,TIMESTAMP\n1,2,3\n1,2\n", PW_DATA_ERROR_PARSE,
                "t.csv, line 3: expected 3 fields as in the header, found 2");
  expect_error ("USER_ID,ITEM_ID,TIMESTAMP\n1,2,3\n\n1,2,abc\n", PW_DATA_ERROR_PARSE,
                "t.csv, line 4, column 3 (TIMESTAMP): “abc” is not a whole number of seconds");
  expect_error ("ITEM_ID,USER_ID,TIMESTAMP,EVENT_VALUE\n1,2,3,x5\n", PW_DATA_ERROR_PARSE,
                "line 2, column 4 (EVENT_VALUE): “x5” is not a number");
  expect_error ("USER_ID,ITEM_ID,TIMESTAMP\n,2,3\n", PW_DATA_ERROR_PARSE,
                "line 2, column 1 (USER_ID): the user id is empty");
  expect_error ("USER_ID,ITEM_ID,TIMESTAMP\n1,\"2,3\n", PW_DATA_ERROR_PARSE,
                "line 2: a quoted field is never closed");
  expect_error ("USER_ID,ITEM_ID,TIMESTAMP\n1,2,1.5\n", PW_DATA_ERROR_PARSE, "“1.5”");
  /* Times outside 1970 .. 9999 (pw-time.h; issue 13, item 2): file, line
   * and column, and a hint for milliseconds. */
  expect_error ("USER_ID,ITEM_ID,TIMESTAMP\n1,2,3\n1,2,-9223372036854775808\n", PW_DATA_ERROR_PARSE,
                "t.csv, line 3, column 3 (TIMESTAMP): -9223372036854775808 is not a time between 1970 "
                "and the year 9999");
  expect_error ("USER_ID,ITEM_ID,TIMESTAMP\n1,2,-1\n", PW_DATA_ERROR_PARSE, "line 2, column 3 (TIMESTAMP)");
  expect_error ("USER_ID,ITEM_ID,TIMESTAMP\n1,2,253402300800\n", PW_DATA_ERROR_PARSE,
                "253402300800 is after the year 9999");
  expect_error ("EVENT_TYPE,TIMESTAMP,USER_ID,ITEM_ID\nclick,1700000000000,1,2\n", PW_DATA_ERROR_PARSE,
                "line 2, column 2 (TIMESTAMP): 1700000000000 is after the year 9999: times are seconds since "
                "1970, not milliseconds");
  {
    /* the ends of the range are times */
    g_autoptr(GError) error = NULL;
    g_autoptr(PwInteractions) t = parse ("USER_ID,ITEM_ID,TIMESTAMP\n1,2,0\n1,3,253402300799\n", 0, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpint (t->timestamps[0], ==, 0);
    g_assert_cmpint (t->timestamps[1], ==, G_GINT64_CONSTANT (253402300799));
  }
  expect_error ("\xFF\xFEU\0S\0", PW_DATA_ERROR_ENCODING, "UTF-16");
  /* Lines are counted through quoted line breaks and old Mac CRs. */
  expect_error ("USER_ID,ITEM_ID,TIMESTAMP\n\"u\n1\",\"i\r\n2\",3\n1,2,x\n", PW_DATA_ERROR_PARSE,
                "t.csv, line 5, column 3 (TIMESTAMP)");
  expect_error ("USER_ID,ITEM_ID,TIMESTAMP\r1,2,3\r1,2,x\r", PW_DATA_ERROR_PARSE,
                "t.csv, line 3, column 3 (TIMESTAMP)");
  expect_error ("USER_ID,ITEM_ID,TIMESTAMP\n1,2,3\n1,2,3,4\n", PW_DATA_ERROR_PARSE,
                "line 3: expected 3 fields as in the header, found 4");
  {
    static const char nul[] = "USER_ID,ITEM_ID,TIMESTAMP\n1,2,\x00\n";
    g_autoptr(GError) error = NULL;

    g_assert_null (pw_interactions_parse_csv (nul, sizeof nul - 1, "t.csv", 0, NULL, &error));
    g_assert_error (error, PW_DATA_ERROR, PW_DATA_ERROR_ENCODING);
    g_assert_nonnull (strstr (error->message, "t.csv, line 2: a NUL byte"));
  }
}

static void
test_skip_bad_rows (void)
{
  g_autoptr(GError) error = NULL;
  PwReadReport report = { 0 };
  g_autoptr(PwInteractions) t =
    parse ("USER_ID,ITEM_ID,TIMESTAMP\n1,2,3\nx,y\n4,5,six\n\n7,8,9\n",
           PW_READ_SKIP_BAD_ROWS, &report, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (t->n_rows, ==, 2);
  g_assert_cmpuint (report.n_rows, ==, 2);
  g_assert_cmpuint (report.n_skipped, ==, 2);
  g_assert_cmpuint (report.n_empty_lines, ==, 1);
  g_assert_nonnull (strstr (report.first_skipped, "line 3"));
  pw_read_report_clear (&report);
}

static void
test_latin1 (void)
{
  g_autoptr(GError) error = NULL;
  PwReadReport report = { 0 };
  g_autoptr(PwInteractions) t =
    parse ("USER_ID,ITEM_ID,TIMESTAMP\nJos\xE9,caf\xE9,1\n", 0, &report, &error);

  g_assert_no_error (error);
  g_assert_true (report.latin1);
  g_assert_cmpstr (pw_interactions_get_user_id (t, 0), ==, "José");
  g_assert_cmpstr (pw_interactions_get_item_id (t, 0), ==, "café");
}

static void
test_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PwInteractions) t = pw_interactions_new ();
  g_autoptr(PwInteractions) back = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pw-csv-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "training_interaction.csv", NULL);
  g_autofree char *contents = NULL;
  guint32 rows[] = { 2, 0 };

  g_assert_no_error (error);
  pw_interactions_append (t, "u1", "i,1", 1000, 4.0f, "RATING");
  pw_interactions_append (t, "u2", "i\"2", 5, 0.1f, "CLICK");
  pw_interactions_append_numeric (t, 7, 42, 978300760, NAN, NULL);
  g_assert_true (pw_interactions_write_csv (t, path, NULL, 0, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==,
                   "USER_ID,ITEM_ID,EVENT_VALUE,TIMESTAMP,EVENT_TYPE\n"
                   "u1,\"i,1\",4,1000,RATING\n"
                   "u2,\"i\"\"2\",0.1,5,CLICK\n"
                   "7,42,,978300760,\n");

  back = pw_interactions_read_csv (path, 0, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->n_rows, ==, 3);
  for (guint r = 0; r < 3; r++)
    {
      g_assert_cmpstr (pw_interactions_get_user_id (back, back->users[r]), ==,
                       pw_interactions_get_user_id (t, t->users[r]));
      g_assert_cmpstr (pw_interactions_get_item_id (back, back->items[r]), ==,
                       pw_interactions_get_item_id (t, t->items[r]));
      g_assert_cmpint (back->timestamps[r], ==, t->timestamps[r]);
      g_assert_true (back->values[r] == t->values[r] || (isnan (back->values[r]) && isnan (t->values[r])));
    }

  g_assert_true (pw_interactions_write_csv (t, path, rows, 2, &error));
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==,
                   "USER_ID,ITEM_ID,EVENT_VALUE,TIMESTAMP,EVENT_TYPE\n"
                   "7,42,,978300760,\n"
                   "u1,\"i,1\",4,1000,RATING\n");
  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);

  g_assert_null (pw_interactions_read_csv ("/nonexistent/x.csv", 0, NULL, NULL, &error));
  g_assert_error (error, PW_DATA_ERROR, PW_DATA_ERROR_MISSING_FILE);
}

static void
test_items (void)
{
  g_autoptr(GError) error = NULL;
  const char *text = "item_id,Title,GENRE,YEAR\r\n"
                     "1,\"Toy Story (1995)\",Animation|Children's|Comedy,1995\r\n"
                     "2,\"Heat, the \"\"Movie\"\"\",Action,\r\n";
  g_autoptr(PwItems) items = pw_items_parse_csv (text, strlen (text), "i.csv", 0, NULL, &error);
  g_autoptr(PwInteractions) t = pw_interactions_new ();
  g_autoptr(GString) out = g_string_new (NULL);
  guint idx;

  g_assert_no_error (error);
  g_assert_cmpuint (items->n_items, ==, 2);
  g_assert_true (pw_items_lookup (items, "2", &idx));
  g_assert_cmpstr (pw_items_get_title (items, idx), ==, "Heat, the \"Movie\"");
  g_assert_cmpstr (pw_items_get_genres (items, 0), ==, "Animation|Children's|Comedy");
  g_assert_cmpuint (pw_items_get_n_columns (items), ==, 1);
  g_assert_cmpstr (pw_items_get_column_name (items, 0), ==, "YEAR");
  g_assert_cmpstr (pw_items_get_value (items, 0, 0), ==, "1995");

  pw_interactions_append (t, "u", "2", 1, 1, "R");
  pw_interactions_append (t, "u", "99", 1, 1, "R");
  pw_items_append_training_text (items, t, out);
  g_assert_cmpstr (out->str, ==, "ITEM_ID,GENRE\n2,Action\n99,\n");
  g_string_truncate (out, 0);
  pw_items_append_catalog_text (items, t, out);
  g_assert_cmpstr (out->str, ==,
                   "ITEM_ID,TITLE,GENRE\n"
                   "1,Toy Story (1995),Animation|Children's|Comedy\n"
                   "2,\"Heat, the \"\"Movie\"\"\",Action\n"
                   "99,,\n");

  {
    const char *dup = "ITEM_ID,GENRE\n1,A\n\n1,B\n";
    PwReadReport report = { 0 };
    g_autoptr(PwItems) skipped = NULL;

    g_assert_null (pw_items_parse_csv (dup, strlen (dup), "i.csv", 0, NULL, &error));
    g_assert_error (error, PW_DATA_ERROR, PW_DATA_ERROR_PARSE);
    g_assert_nonnull (strstr (error->message, "i.csv, line 4, column 1 (ITEM_ID): the item “1” already appeared on line 2"));
    g_clear_error (&error);
    skipped = pw_items_parse_csv (dup, strlen (dup), "i.csv", PW_READ_SKIP_BAD_ROWS, &report, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (skipped->n_items, ==, 1);
    g_assert_cmpuint (report.n_skipped, ==, 1);
    pw_read_report_clear (&report);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/data/csv/basic", test_basic);
  g_test_add_func ("/data/csv/any-order-case-bom-crlf", test_any_order_case);
  g_test_add_func ("/data/csv/errors", test_errors);
  g_test_add_func ("/data/csv/skip-bad-rows", test_skip_bad_rows);
  g_test_add_func ("/data/csv/latin1", test_latin1);
  g_test_add_func ("/data/csv/round-trip", test_round_trip);
  g_test_add_func ("/data/csv/items", test_items);

  return g_test_run ();
}
