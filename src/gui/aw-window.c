/* aw-window.c: the main window: cities, run controls, the timing chart, history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "aw-accessible.h"
#include "aw-city-import.h"
#include "aw-city-list.h"
#include "aw-export.h"
#include "aw-history.h"
#include "aw-png-export.h"
#include "aw-run-consent.h"
#include "aw-window.h"

/* A text file of city names larger than this is not a list of cities. */
#define MAX_IMPORT_BYTES (4 * 1024 * 1024)

/* Past this, a gap between frames is a freeze a person notices, not a slow frame. */
#define FROZEN_US (250 * 1000)
/* Blocking lets the clock run this long, painted, before it freezes the window: a class sees
 * it move, then stop. */
#define BLOCK_LEAD_US (500 * 1000)

/* The last result of one city, kept across runs. */
typedef struct
{
  AwWeather *weather;
  char      *error;
  GDateTime *fetched_at;
  gint64     active_us;
} CityResult;

/* A run in the history: its record, and its bars while this session has them. */
typedef struct
{
  AwRunRecord    *record;
  AwFetchRun     *run;            /* NULL for a large run of an earlier session */
  GtkCheckButton *check;
  GtkWidget      *row;
} HistoryItem;

struct _AwWindow
{
  GtkApplicationWindow  parent_instance;

  /* template widgets */
  GtkDropDown          *mode_dropdown;
  GtkSpinButton        *limit_spin;
  GtkButton            *run_button;
  GtkButton            *stop_button;
  GtkSpinner           *spinner;
  GtkLabel             *clock_label;
  GtkWidget            *sidebar;
  GtkMenuButton        *export_button;
  GtkEntry             *city_entry;
  GtkLabel             *entry_message;
  GtkStack             *cities_stack;
  GtkLabel             *city_count;
  GtkRevealer          *undo_revealer;
  GtkLabel             *undo_label;
  GtkListView          *city_list;
  GtkStringList        *city_model;
  GHashTable           *bound_rows;     /* GtkListItem of the city rows on screen */
  GtkListBox           *history_list;
  GtkButton            *compare_button;
  GtkInfoBar           *banner;
  GtkLabel             *banner_label;
  GtkStack             *chart_stack;
  AwTimingChart        *chart;
  GtkBox               *legend;
  GtkLabel             *wall_label;
  GtkLabel             *sum_label;
  GtkLabel             *speedup_label;
  GtkLabel             *stall_label;
  GtkLabel             *compare_label;
  GtkButton            *stack_button;
  GtkWidget            *mark_legend[4]; /* wall, sum, failed, stopped */

  /* owned */
  GSettings            *settings;
  GCancellable         *cancellable;    /* the live run's; cancelled on Stop and on close */
  AwFetchRun           *run;            /* the live or last run */
  GHashTable           *results;        /* city → CityResult */
  GStrv                 undo_cities;    /* the list before the last removal */
  GStrv                 undo_after;     /* the list that removal left */
  GPtrArray            *history;        /* HistoryItem */
  AwRunRecord          *live_record;    /* the settings of the live run */
  HistoryItem          *shown[2];       /* the runs on screen: one, or two compared */
  AwRunRecord          *axis_setup;     /* the setup the time axis is held for */
  gint64                axis_us;        /* the axis held for consecutive runs of that setup */
  guint                 frame_tick_id;
  gint64                last_frame_us;
  gint64                frame_gap_us;
  gint64                gap_start_us;   /* monotonic: the two frames around the longest gap */
  gint64                gap_end_us;
  gint64                pressed_us;     /* monotonic: when the run was asked for */
  gint64                run_start_us;   /* monotonic: when the engine started it */
  guint                 block_source;   /* Blocking: the idle that starts it, once painted */
  gboolean              block_armed;    /* Blocking: waiting for the next frame's paint */
  gboolean              start_on_tick;
  gboolean              presentation;
  gboolean              frames_after_end;
};

G_DEFINE_FINAL_TYPE (AwWindow, aw_window, GTK_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_PRESENTATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What each mode is in the tutorial's Python, one line for the mode menu. */
static const char * const mode_python[AW_N_MODES] = {
  /* Translators: Python code for the Sequential mode; keep the code as it is */
  N_("for city in cities: requests.get(url)"),
  /* Translators: Python code for the Concurrent mode; keep the code as it is */
  N_("await asyncio.gather(*fetches)"),
  /* Translators: Python code for the Limited mode; keep the code as it is */
  N_("async with asyncio.Semaphore(K): …"),
  /* Translators: Python code for the Threads mode; keep the code as it is */
  N_("ThreadPoolExecutor().map(requests.get, urls)"),
  /* Translators: Python for the Blocking mode; translate the words, not the code */
  N_("time.sleep(2) in a GUI callback"),
};

static void
city_result_free (CityResult *result)
{
  g_clear_pointer (&result->weather, aw_weather_free);
  g_clear_pointer (&result->fetched_at, g_date_time_unref);
  g_free (result->error);
  g_free (result);
}

static void
history_item_free (HistoryItem *item)
{
  g_clear_object (&item->run);
  aw_run_record_free (item->record);
  g_free (item);
}

static void
show_banner (AwWindow       *self,
             GtkMessageType  type,
             const char     *message)
{
  gtk_info_bar_set_message_type (self->banner, type);
  gtk_label_set_text (self->banner_label, message);
  gtk_info_bar_set_revealed (self->banner, TRUE);
}

static void
on_banner_response (AwWindow *self,
                    int       response)
{
  gtk_info_bar_set_revealed (self->banner, FALSE);
}

void
aw_window_show_notice (AwWindow   *self,
                       const char *message)
{
  g_return_if_fail (AW_IS_WINDOW (self));
  show_banner (self, GTK_MESSAGE_WARNING, message);
}

const char *
aw_window_get_notice (AwWindow *self)
{
  g_return_val_if_fail (AW_IS_WINDOW (self), NULL);
  if (!gtk_info_bar_get_revealed (self->banner))
    return NULL;
  return gtk_label_get_text (self->banner_label);
}

static gboolean
is_running (AwWindow *self)
{
  return self->run != NULL && !aw_fetch_run_is_finished (self->run);
}

static void
update_actions (AwWindow *self)
{
  gboolean running = is_running (self);
  guint checked = 0;

  for (guint i = 0; i < self->history->len; i++)
    {
      HistoryItem *item = g_ptr_array_index (self->history, i);

      if (gtk_check_button_get_active (item->check))
        checked++;
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.run", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export",
                                 self->run != NULL && !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.compare", checked == 2 && !running);
  gtk_widget_set_visible (GTK_WIDGET (self->run_button), !running);
  gtk_widget_set_visible (GTK_WIDGET (self->stop_button), running);
  gtk_spinner_set_spinning (self->spinner, running);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), running);
  gtk_widget_set_visible (GTK_WIDGET (self->clock_label), running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->mode_dropdown), !running);
}

/* Cities */

static char *
format_seconds (gint64 us)
{
  if (us < G_USEC_PER_SEC)
    return g_strdup_printf (_("%.0f ms"), us / 1000.0);
  return g_strdup_printf (_("%.2f s"), us / (double)G_USEC_PER_SEC);
}

/* Takes @text; returns it with its spaces made non-breaking. */
static char *
no_break (char *text)
{
  g_auto(GStrv) words = g_strsplit (text, " ", -1);

  g_free (text);
  return g_strjoinv ("\u00a0", words);
}

/* The city of the row a button is in. */
static const char *
button_city (GtkButton *button)
{
  GtkListItem *item = g_object_get_data (G_OBJECT (button), "list-item");

  return gtk_string_object_get_string (gtk_list_item_get_item (item));
}

static void set_entry_message (AwWindow   *self,
                               const char *message);

static void
forget_undo (AwWindow *self)
{
  g_clear_pointer (&self->undo_cities, g_strfreev);
  g_clear_pointer (&self->undo_after, g_strfreev);
  gtk_revealer_set_reveal_child (self->undo_revealer, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo-remove", FALSE);
}

/* Every removal can be undone, until the list changes in another way. */
static void
remove_cities (AwWindow           *self,
               const char * const *kept,
               const char         *message)
{
  forget_undo (self);
  /* What the last paste said is stale once cities go. */
  set_entry_message (self, NULL);
  self->undo_cities = g_settings_get_strv (self->settings, "cities");
  self->undo_after = g_strdupv ((GStrv)kept);
  g_settings_set_strv (self->settings, "cities", kept);
  gtk_label_set_text (self->undo_label, message);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->undo_label), message);
  gtk_revealer_set_reveal_child (self->undo_revealer, TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo-remove", TRUE);
}

static void
on_remove_city (GtkButton *button,
                AwWindow  *self)
{
  const char *city = button_city (button);
  g_auto(GStrv) cities = g_settings_get_strv (self->settings, "cities");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) kept = NULL;
  g_autofree char *message = NULL;

  for (guint i = 0; cities[i] != NULL; i++)
    if (g_strcmp0 (cities[i], city) != 0)
      g_strv_builder_add (builder, cities[i]);
  kept = g_strv_builder_end (builder);
  /* Translators: shown with an Undo button after a city was removed */
  message = g_strdup_printf (_("Removed %s"), city);
  remove_cities (self, (const char * const *)kept, message);
}

static void
remove_all_cities_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  AwWindow *self = AW_WINDOW (widget);
  g_auto(GStrv) cities = g_settings_get_strv (self->settings, "cities");
  guint n = g_strv_length (cities);
  const char *none[] = { NULL };
  g_autofree char *message = NULL;

  if (n == 0)
    return;
  /* Translators: shown with an Undo button after Remove All */
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Removed %u city", "Removed %u cities",
                                          n), n);
  remove_cities (self, none, message);
}

static void
undo_remove_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  AwWindow *self = AW_WINDOW (widget);
  g_auto(GStrv) cities = g_steal_pointer (&self->undo_cities);

  forget_undo (self);
  if (cities != NULL)
    g_settings_set_strv (self->settings, "cities", (const char * const *)cities);
}

static void
move_city (AwWindow   *self,
           const char *city,
           int         delta)
{
  g_auto(GStrv) cities = g_settings_get_strv (self->settings, "cities");
  guint n = g_strv_length (cities);

  for (guint i = 0; i < n; i++)
    {
      if (g_strcmp0 (cities[i], city) == 0)
        {
          int j = (int)i + delta;

          if (j >= 0 && j < (int)n)
            {
              char *swap = cities[i];

              cities[i] = cities[j];
              cities[j] = swap;
              g_settings_set_strv (self->settings, "cities", (const char * const *)cities);
            }
          return;
        }
    }
}

static void
on_move_up (GtkButton *button,
            AwWindow  *self)
{
  move_city (self, button_city (button), -1);
}

static void
on_move_down (GtkButton *button,
              AwWindow  *self)
{
  move_city (self, button_city (button), 1);
}

static gboolean
on_query_row_tooltip (GtkWidget  *widget,
                      int         x,
                      int         y,
                      gboolean    keyboard_mode,
                      GtkTooltip *tooltip,
                      gpointer    user_data)
{
  const char *text = g_object_get_data (G_OBJECT (widget), "row-tooltip");

  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* gtk_widget_set_tooltip_text asks the display where the pointer is, a round trip to the
 * X server each time, and rows are bound again and again as they scroll: a row's tooltips
 * are answered when they show, from the text it was last bound with. */
static void
set_row_tooltip (GtkWidget  *widget,
                 const char *text)
{
  g_object_set_data_full (G_OBJECT (widget), "row-tooltip", g_strdup (text), g_free);
  /* An icon button's tooltip is its name; a label's is the whole of a text it may cut. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_IS_BUTTON (widget) ? GTK_ACCESSIBLE_PROPERTY_LABEL
                                  : GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
}

static void
init_row_tooltip (GtkWidget *widget)
{
  gtk_widget_set_has_tooltip (widget, TRUE);
  g_signal_connect (widget, "query-tooltip", G_CALLBACK (on_query_row_tooltip), NULL);
}

static GtkWidget *
new_row_button (AwWindow    *self,
                GtkListItem *item,
                const char  *icon,
                GCallback    callback)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  init_row_tooltip (button);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  g_object_set_data (G_OBJECT (button), "list-item", item);
  g_signal_connect (button, "clicked", callback, self);
  return button;
}

/* The widgets of one row of the city list, made once and bound to whichever city scrolls in. */
typedef struct
{
  GtkWidget *icon;
  GtkWidget *name;
  GtkWidget *temperature;
  GtkWidget *info;
  GtkWidget *up;
  GtkWidget *down;
  GtkWidget *remove;
} CityRow;

static void
on_city_row_setup (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   AwWindow                 *self)
{
  CityRow *row = g_new0 (CityRow, 1);
  GtkWidget *box, *texts, *title, *order;

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  row->icon = gtk_image_new ();
  gtk_image_set_pixel_size (GTK_IMAGE (row->icon), 24);
  gtk_box_append (GTK_BOX (box), row->icon);

  texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_widget_set_valign (texts, GTK_ALIGN_CENTER);
  row->name = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (row->name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (row->name), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (row->name, TRUE);
  gtk_widget_add_css_class (row->name, "heading");
  row->info = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (row->info), 0);
  gtk_label_set_wrap_mode (GTK_LABEL (row->info), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (row->info), 2);
  gtk_label_set_ellipsize (GTK_LABEL (row->info), PANGO_ELLIPSIZE_END);
  init_row_tooltip (row->info);
  gtk_widget_add_css_class (row->info, "caption");
  /* The temperature beside the name, so that the detail below gets the row's whole width. */
  row->temperature = gtk_label_new (NULL);
  gtk_widget_add_css_class (row->temperature, "temperature");
  title = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_append (GTK_BOX (title), row->name);
  gtk_box_append (GTK_BOX (title), row->temperature);
  gtk_box_append (GTK_BOX (texts), title);
  gtk_box_append (GTK_BOX (texts), row->info);
  gtk_box_append (GTK_BOX (box), texts);

  /* Up and down stacked, small: the name keeps the room. */
  order = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_add_css_class (order, "reorder");
  row->up = new_row_button (self, item, "go-up-symbolic", G_CALLBACK (on_move_up));
  set_row_tooltip (row->up, _("Move up"));
  gtk_box_append (GTK_BOX (order), row->up);
  row->down = new_row_button (self, item, "go-down-symbolic", G_CALLBACK (on_move_down));
  set_row_tooltip (row->down, _("Move down"));
  gtk_box_append (GTK_BOX (order), row->down);
  gtk_box_append (GTK_BOX (box), order);
  row->remove = new_row_button (self, item, "user-trash-symbolic", G_CALLBACK (on_remove_city));
  gtk_box_append (GTK_BOX (box), row->remove);

  g_object_set_data_full (G_OBJECT (box), "city-row", row, g_free);
  gtk_list_item_set_child (item, box);
  gtk_list_item_set_activatable (item, FALSE);
}

/* One row: the city, its last temperature and condition icon, when and how fast, or its error. */
static void
fill_city_row (AwWindow    *self,
               GtkListItem *item)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  CityRow *row = g_object_get_data (G_OBJECT (box), "city-row");
  const char *city = gtk_string_object_get_string (gtk_list_item_get_item (item));
  CityResult *result = g_hash_table_lookup (self->results, city);
  guint position = gtk_list_item_get_position (item);
  g_autofree char *detail = NULL;
  g_autofree char *temperature = NULL;
  g_autofree char *remove_tooltip = NULL;
  gboolean failed = result != NULL && result->error != NULL;

  if (result == NULL)
    detail = g_strdup (_("Not fetched yet"));
  else if (failed)
    detail = g_strdup (result->error);
  else
    {
      g_autofree char *time = g_date_time_format (result->fetched_at, "%H:%M:%S");
      g_autofree char *took = format_seconds (result->active_us);

      /* Translators: the weather condition, then on a line of its own when it was fetched
       * and how long it took */
      detail = g_strdup_printf (_("%s\n%s · took %s"), result->weather->condition, time, took);
      temperature = g_strdup_printf (_("%.0f °C"), result->weather->temperature_c);
    }

  gtk_image_set_from_icon_name (GTK_IMAGE (row->icon),
                                result && result->weather ? result->weather->icon_name
                                : result ? "dialog-error-symbolic"
                                : "content-loading-symbolic");
  gtk_label_set_text (GTK_LABEL (row->name), city);
  gtk_label_set_text (GTK_LABEL (row->temperature), temperature);
  gtk_widget_set_visible (row->temperature, temperature != NULL);
  /* An error wraps, whole (a cut one says nothing); a result is two lines already, each
   * ellipsized. Measuring wrapped text for the 200 rows a list view keeps made the frame that
   * shows the results of 1000 cities take 80 ms. */
  gtk_label_set_wrap (GTK_LABEL (row->info), failed);
  gtk_label_set_lines (GTK_LABEL (row->info), failed ? -1 : 2);
  gtk_label_set_ellipsize (GTK_LABEL (row->info), failed ? PANGO_ELLIPSIZE_NONE
                                                         : PANGO_ELLIPSIZE_END);
  gtk_label_set_text (GTK_LABEL (row->info), detail);
  set_row_tooltip (row->info, detail);
  gtk_widget_set_css_classes (row->icon, (const char *[]) { failed ? "error" : NULL, NULL });
  gtk_widget_set_css_classes (row->info,
                              (const char *[]) { "caption", failed ? "error" : "dim-label", NULL });
  gtk_widget_set_sensitive (row->up, position > 0);
  gtk_widget_set_sensitive (row->down,
                            position + 1 < g_list_model_get_n_items (G_LIST_MODEL (self->city_model)));
  remove_tooltip = g_strdup_printf (_("Remove %s"), city);
  set_row_tooltip (row->remove, remove_tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, city,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, detail,
                                  -1);
}

static void
on_city_row_bind (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  AwWindow                 *self)
{
  g_hash_table_add (self->bound_rows, item);
  fill_city_row (self, item);
}

static void
on_city_row_unbind (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    AwWindow                 *self)
{
  g_hash_table_remove (self->bound_rows, item);
}

/* A city added, moved or removed: the rows on screen show their new neighbours. */
static void
refresh_city_rows (AwWindow *self)
{
  GHashTableIter iter;
  gpointer item;

  g_hash_table_iter_init (&iter, self->bound_rows);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    fill_city_row (self, item);
}

static void
update_city_count (AwWindow *self,
                   guint     n)
{
  g_autofree char *count = n > 0 ? g_strdup_printf ("%u", n) : NULL;

  gtk_label_set_text (self->city_count, count);
}

/* Rows bind only as they scroll into view, and only the cities that changed are replaced:
 * a list of thousands costs what its screen shows. */
static void
rebuild_city_list (AwWindow *self)
{
  g_auto(GStrv) cities = g_settings_get_strv (self->settings, "cities");
  GListModel *model = G_LIST_MODEL (self->city_model);
  guint n = g_strv_length (cities);
  guint old_n = g_list_model_get_n_items (model);
  guint prefix = 0, suffix = 0;

  while (prefix < MIN (n, old_n)
         && g_strcmp0 (gtk_string_list_get_string (self->city_model, prefix), cities[prefix]) == 0)
    prefix++;
  while (suffix < MIN (n, old_n) - prefix
         && g_strcmp0 (gtk_string_list_get_string (self->city_model, old_n - 1 - suffix),
                       cities[n - 1 - suffix]) == 0)
    suffix++;

  if (prefix + suffix < MAX (n, old_n))
    {
      char *kept = cities[n - suffix];

      /* The changed middle, as a NULL-terminated list of its own. */
      cities[n - suffix] = NULL;
      gtk_string_list_splice (self->city_model, prefix, old_n - prefix - suffix,
                              (const char * const *)cities + prefix);
      cities[n - suffix] = kept;
    }
  refresh_city_rows (self);
  gtk_stack_set_visible_child_name (self->cities_stack, n > 0 ? "list" : "empty");
  update_city_count (self, n);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.remove-all-cities", n > 0);
  /* Another change than the removal: undoing it would undo that change too. */
  if (self->undo_after != NULL && !g_strv_equal ((const char * const *)self->undo_after,
                                                 (const char * const *)cities))
    forget_undo (self);
}

/* A message under the entry: an error, or what a list added. */
static void
set_entry_message_full (AwWindow   *self,
                        const char *message,
                        gboolean    error)
{
  gtk_label_set_text (self->entry_message, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->entry_message), message != NULL);
  if (message != NULL && error)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->city_entry), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->entry_message), "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->city_entry), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->entry_message), "error");
    }
}

static void
set_entry_message (AwWindow   *self,
                   const char *message)
{
  set_entry_message_full (self, message, TRUE);
}

static guint
add_cities_text (AwWindow   *self,
                 const char *text,
                 gsize       length)
{
  g_autofree char *rejected = NULL;
  g_autofree char *added = NULL;
  g_autofree char *message = NULL;
  guint n;

  n = aw_city_import_text (self->settings, text, length, AW_CITY_LIST_SEPARATORS, &rejected);
  /* Translators: after a list of cities was pasted or imported */
  added = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Added %u city.", "Added %u cities.", n),
                           n);
  message = rejected != NULL ? g_strconcat (added, " ", rejected, NULL) : g_strdup (added);
  set_entry_message_full (self, message, rejected != NULL);
  return n;
}

guint
aw_window_add_cities (AwWindow   *self,
                      const char *text)
{
  g_return_val_if_fail (AW_IS_WINDOW (self), 0);
  g_return_val_if_fail (text != NULL, 0);

  return add_cities_text (self, text, strlen (text));
}

/* A list pasted or dropped into the entry (typing brings one character at a time) is added
 * name by name instead: the entry itself holds one line of at most 200 characters. */
static void
on_entry_insert_text (GtkEditable *delegate,
                      const char  *text,
                      int          length,
                      int         *position,
                      AwWindow    *self)
{
  gsize n = length < 0 ? strlen (text) : (gsize)length;
  gboolean list = FALSE;

  for (gsize i = 0; n > 1 && i < n && !list; i++)
    list = strchr (AW_CITY_LIST_SEPARATORS, text[i]) != NULL && text[i] != '\0';
  if (!list)
    return;
  g_signal_stop_emission_by_name (delegate, "insert-text");
  add_cities_text (self, text, n);
}

static void
add_samples_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  AwWindow *self = AW_WINDOW (widget);
  guint wanted = g_variant_get_uint32 (parameter);
  g_auto(GStrv) cities = g_settings_get_strv (self->settings, "cities");
  g_autoptr(GHashTable) present = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char * const *samples = aw_city_import_get_samples (NULL);
  GString *text = g_string_new (NULL);
  g_autofree char *list = NULL;
  guint n = 0;

  for (guint i = 0; cities[i] != NULL; i++)
    g_hash_table_add (present, g_utf8_casefold (cities[i], -1));
  /* The next sample names not in the list yet: asked again, it adds more. */
  for (guint i = 0; samples[i] != NULL && n < wanted; i++)
    {
      g_autofree char *key = g_utf8_casefold (samples[i], -1);

      if (g_hash_table_contains (present, key))
        continue;
      g_string_append_printf (text, "%s\n", samples[i]);
      n++;
    }
  list = g_string_free (text, FALSE);
  add_cities_text (self, list, strlen (list));
}

static void
on_import_loaded (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(AwWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_load_contents_finish (G_FILE (object), result, &contents, &length, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_entry_message (self, error->message);
      return;
    }
  add_cities_text (self, contents, length);
}

void
aw_window_import_cities (AwWindow *self,
                         GFile    *file)
{
  g_autoptr(GFileInfo) info = NULL;

  g_return_if_fail (AW_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  /* Refused before reading: a large file is no list of cities, and reading it would take
   * the memory of its size. */
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                            NULL, NULL);
  if (info != NULL && g_file_info_get_size (info) > MAX_IMPORT_BYTES)
    {
      g_autofree char *message = g_strdup_printf (_("The file is larger than %d MB: it is not "
                                                    "a list of cities"),
                                                  MAX_IMPORT_BYTES / (1024 * 1024));

      set_entry_message (self, message);
      return;
    }
  g_file_load_contents_async (file, NULL, on_import_loaded, g_object_ref (self));
}

static void
on_import_response (GtkNativeDialog *chooser,
                    int              response,
                    AwWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      aw_window_import_cities (self, file);
    }
  g_object_unref (chooser);
}

static void
import_cities_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  AwWindow *self = AW_WINDOW (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Import Cities"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Text files: one city a line, or separated by commas"));
  gtk_file_filter_add_mime_type (filter, "text/plain");
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect (chooser, "response", G_CALLBACK (on_import_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

gboolean
aw_window_add_city (AwWindow   *self,
                    const char *name)
{
  g_autofree char *city = NULL;
  g_auto(GStrv) cities = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) updated = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (AW_IS_WINDOW (self), FALSE);

  city = aw_city_name_normalize (name);
  if (!aw_city_name_check (city, &error))
    {
      set_entry_message (self, error->message);
      return FALSE;
    }

  cities = g_settings_get_strv (self->settings, "cities");
  for (guint i = 0; cities[i] != NULL; i++)
    {
      g_autofree char *a = g_utf8_casefold (cities[i], -1);
      g_autofree char *b = g_utf8_casefold (city, -1);

      if (g_utf8_collate (a, b) == 0)
        {
          g_autofree char *message = g_strdup_printf (_("“%s” is already in the list"), cities[i]);

          set_entry_message (self, message);
          return FALSE;
        }
    }

  builder = g_strv_builder_new ();
  g_strv_builder_addv (builder, (const char **)cities);
  g_strv_builder_add (builder, city);
  updated = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "cities", (const char * const *)updated);
  set_entry_message (self, NULL);
  return TRUE;
}

static void on_city_entry_changed (AwWindow *self);

static void
on_city_entry_activate (AwWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->city_entry));

  /* "Lyon, Nantes; Nice" typed on one line is a list too. */
  if (strpbrk (text, AW_CITY_LIST_SEPARATORS) != NULL)
    {
      /* Emptied without clearing the message that says what was added. */
      if (aw_window_add_cities (self, text) > 0)
        {
          g_signal_handlers_block_by_func (self->city_entry, on_city_entry_changed, self);
          gtk_editable_set_text (GTK_EDITABLE (self->city_entry), "");
          g_signal_handlers_unblock_by_func (self->city_entry, on_city_entry_changed, self);
        }
    }
  else if (aw_window_add_city (self, text))
    gtk_editable_set_text (GTK_EDITABLE (self->city_entry), "");
}

static void
on_city_entry_changed (AwWindow *self)
{
  set_entry_message (self, NULL);
}

const char *
aw_window_get_entry_message (AwWindow *self)
{
  g_return_val_if_fail (AW_IS_WINDOW (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->entry_message)))
    return NULL;
  return gtk_label_get_text (self->entry_message);
}

/* Figures */

static void
set_figure (GtkLabel   *label,
            const char *value,
            const char *caption)
{
  g_autofree char *value_markup = g_markup_escape_text (value, -1);
  g_autofree char *caption_markup = g_markup_escape_text (caption, -1);
  g_autofree char *markup = g_strdup_printf ("<span size=\"x-large\" weight=\"bold\">%s</span>\n"
                                             "<span size=\"small\">%s</span>",
                                             value_markup, caption_markup);

  gtk_label_set_markup (label, markup);
  g_object_set_data_full (G_OBJECT (label), "value", g_strdup (value), g_free);
  g_object_set_data_full (G_OBJECT (label), "caption", g_strdup (caption), g_free);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  caption, -1);
}

static char *
describe_frame_gap (gint64 gap_us)
{
  if (gap_us >= FROZEN_US)
    return g_strdup_printf (_("frozen %.1f s"), gap_us / (double)G_USEC_PER_SEC);
  return g_strdup_printf (_("%.0f ms"), gap_us / 1000.0);
}

/* The figures of one run: wall, sum, speedup, longest frame. */
static void
format_figures (const AwRunRecord *record,
                char              *values[4])
{
  values[0] = format_seconds (record->total_us);
  values[1] = format_seconds (record->sum_us);
  values[2] = g_strdup_printf (_("%.1f×"),
                               record->total_us > 0 ? record->sum_us / (double)record->total_us
                                                    : 0);
  values[3] = describe_frame_gap (record->frame_gap_us);
}

/* "Concurrent · 3 cities · 12:04:01 was 3.0× faster than Sequential · 3 cities · 12:03:55", or
 * why the two do not compare. @a is the earlier run. */
static char *
describe_comparison (const AwRunRecord *a,
                     const AwRunRecord *b)
{
  g_autofree char *name_a = aw_run_record_format_name (a);
  g_autofree char *name_b = aw_run_record_format_name (b);
  g_autofree char *reason = NULL;
  g_autofree char *how = NULL;
  double ratio;

  if (!aw_run_record_compare (a, b, &ratio, &reason))
    /* Translators: two runs, and why they do not compare ("different cities", "stopped") */
    return g_strdup_printf (_("%s and %s do not compare: %s"), name_a, name_b, reason);
  if (aw_run_record_is_as_fast (ratio))
    /* Translators: two runs of the same speed, the later first */
    return g_strdup_printf (_("%s was as fast as %s"), name_b, name_a);
  how = aw_run_record_format_ratio (ratio);
  /* Translators: the later run, how it did ("3.0× faster", "2.1× slower"), the earlier run */
  return g_strdup_printf (_("%s was %s than %s"), name_b, how, name_a);
}

static gboolean
is_comparing (AwWindow *self)
{
  return self->shown[1] != NULL;
}

static HistoryItem *
history_item (AwWindow *self,
              guint     index)
{
  return g_ptr_array_index (self->history, index);
}

/* The legend names the marks the chart shows: wall and sum when comparing, failed and
 * stopped when a run shown has such tasks. */
static void
update_mark_legend (AwWindow *self)
{
  gboolean failed = FALSE, stopped = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (self->shown); i++)
    if (self->shown[i] != NULL)
      {
        failed |= self->shown[i]->record->n_failed > 0;
        stopped |= self->shown[i]->record->stopped;
      }
  gtk_widget_set_visible (self->mark_legend[0], is_comparing (self));
  gtk_widget_set_visible (self->mark_legend[1], is_comparing (self));
  gtk_widget_set_visible (self->mark_legend[2], failed);
  gtk_widget_set_visible (self->mark_legend[3], stopped);
}

/* The run on screen (or the newest, before any is shown) and the one before it in the
 * history, which the line under the figures compares: *@index is the first's. */
static gboolean
get_current_pair (AwWindow *self,
                  guint    *index)
{
  if (is_comparing (self) || self->history->len < 2)
    return FALSE;
  if (self->shown[0] == NULL)
    {
      *index = self->history->len - 1;
      return TRUE;
    }
  for (guint i = 1; i < self->history->len; i++)
    if (history_item (self, i) == self->shown[0])
      {
        *index = i;
        return TRUE;
      }
  return FALSE;
}

/* The time a monitor shows one frame, for the reference beside the longest frame. */
static double
frame_interval_ms (AwWindow *self)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (self));
  GdkMonitor *monitor = NULL;
  int refresh_mhz = 0;

  if (surface != NULL)
    monitor = gdk_display_get_monitor_at_surface (gtk_widget_get_display (GTK_WIDGET (self)),
                                                  surface);
  if (monitor != NULL)
    refresh_mhz = gdk_monitor_get_refresh_rate (monitor);
  /* Monitors that do not say, as virtual displays, run at the usual 60 Hz. */
  if (refresh_mhz <= 0)
    refresh_mhz = 60000;
  return 1000.0 * 1000.0 / refresh_mhz;
}

/* Under the longest frame: what it was, and how long a frame of this monitor is. */
static char *
describe_frame_caption (AwWindow *self,
                        gint64    frame_gap_us)
{
  if (frame_gap_us >= FROZEN_US)
    /* Translators: under the time the window could not draw; %.1f is a frame's time */
    return g_strdup_printf (_("window frozen\n(a frame is %.1f ms)"), frame_interval_ms (self));
  /* Translators: under the longest gap between two frames; %.1f is a frame's time */
  return g_strdup_printf (_("longest frame\n(a frame is %.1f ms)"), frame_interval_ms (self));
}

static void
update_figures (AwWindow *self)
{
  const char *captions[] = { _("wall time"), _("sum of tasks"), _("speedup"), _("longest frame") };
  GtkLabel *labels[] = { self->wall_label, self->sum_label, self->speedup_label,
                         self->stall_label };
  HistoryItem *latest = NULL, *previous = NULL;
  gboolean offer_both = FALSE, refused = FALSE;
  guint index;

  if (is_comparing (self))
    {
      /* Both runs side by side, in the order of the chart's headers. */
      char *a[4], *b[4];

      format_figures (self->shown[0]->record, a);
      format_figures (self->shown[1]->record, b);
      for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
        {
          g_autofree char *value = g_strdup_printf (_("%s │ %s"), a[i], b[i]);
          /* Translators: a figure's caption when two runs are compared, "wall time (1 │ 2)" */
          g_autofree char *caption = g_strdup_printf (_("%s (run 1 │ run 2)"), captions[i]);

          set_figure (labels[i], value, caption);
          g_free (a[i]);
          g_free (b[i]);
        }
    }
  else if (self->run == NULL || !aw_fetch_run_is_finished (self->run) || self->shown[0] == NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
        set_figure (labels[i], "—", captions[i]);
    }
  else
    {
      const AwRunRecord *record = self->shown[0]->record;
      char *values[4];

      format_figures (record, values);
      /* The caption says it was a freeze: the figure is its length alone. */
      if (record->frame_gap_us >= FROZEN_US)
        {
          g_free (values[3]);
          values[3] = format_seconds (record->frame_gap_us);
        }
      for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
        {
          g_autofree char *caption = i == 3 ? describe_frame_caption (self, record->frame_gap_us)
                                            : g_strdup (captions[i]);

          set_figure (labels[i], values[i], caption);
          g_free (values[i]);
        }
    }

  if (get_current_pair (self, &index))
    {
      latest = history_item (self, index);
      previous = history_item (self, index - 1);
    }

  if (is_comparing (self))
    {
      g_autofree char *text = describe_comparison (self->shown[0]->record,
                                                   self->shown[1]->record);
      g_autofree char *differences =
        aw_run_record_describe_differences (self->shown[0]->record, self->shown[1]->record);
      g_autofree char *line = differences
                              /* Translators: a comparison, then what differs between the runs */
                              ? g_strdup_printf (_("%s  ·  differs: %s"), text, differences)
                              : g_steal_pointer (&text);

      gtk_label_set_text (self->compare_label, line);
      refused = !aw_run_record_compare (self->shown[0]->record, self->shown[1]->record,
                                        NULL, NULL);
    }
  else if (latest != NULL && !is_running (self))
    {
      g_autofree char *text = describe_comparison (previous->record, latest->record);
      g_autofree char *differences =
        aw_run_record_describe_differences (previous->record, latest->record);

      /* A pair worth stacking: both drawn, comparable, and not the same run twice. */
      refused = !aw_run_record_compare (previous->record, latest->record, NULL, NULL);
      offer_both = previous->run != NULL && latest->run != NULL && differences != NULL
                   && !refused;
      gtk_label_set_text (self->compare_label, text);
    }
  else if (!is_running (self))
    gtk_label_set_text (self->compare_label,
                        _("Run sequentially and concurrently to compare the two side by side."));
  gtk_widget_set_visible (GTK_WIDGET (self->stack_button), offer_both);
  update_mark_legend (self);
  /* A comparison refused is said as plainly as a ratio, not in the dim of a hint. */
  gtk_widget_set_css_classes (GTK_WIDGET (self->compare_label),
                              (const char *[]) { refused ? "refused" : "dim-label", NULL });
}

const char *
aw_window_get_figure (AwWindow *self,
                      guint     index)
{
  GtkLabel *labels[] = { self->wall_label, self->sum_label, self->speedup_label,
                         self->stall_label };

  g_return_val_if_fail (AW_IS_WINDOW (self), NULL);
  g_return_val_if_fail (index < G_N_ELEMENTS (labels), NULL);
  return g_object_get_data (G_OBJECT (labels[index]), "value");
}

const char *
aw_window_get_comparison (AwWindow *self)
{
  g_return_val_if_fail (AW_IS_WINDOW (self), NULL);
  return gtk_label_get_text (self->compare_label);
}

gint64
aw_window_get_frame_gap_us (AwWindow *self)
{
  g_return_val_if_fail (AW_IS_WINDOW (self), 0);
  return self->frame_gap_us;
}

/* History */

static void
on_history_check_toggled (AwWindow *self)
{
  update_actions (self);
}

/* The highlight follows the runs on screen. */
static void
select_shown_rows (AwWindow *self)
{
  gtk_list_box_unselect_all (self->history_list);
  for (guint i = 0; i < G_N_ELEMENTS (self->shown); i++)
    if (self->shown[i] != NULL)
      gtk_list_box_select_row (self->history_list, GTK_LIST_BOX_ROW (self->shown[i]->row));
}

static void
set_shown (AwWindow    *self,
           HistoryItem *a,
           HistoryItem *b)
{
  self->shown[0] = a;
  self->shown[1] = b;
  select_shown_rows (self);
}

/* A dashed line at the wall time of @previous, the run before the one drawn (@record), when
 * the two share the axis: the lesson in one look, without Compare. */
static void
set_reference (AwWindow          *self,
               HistoryItem       *previous,
               const AwRunRecord *record)
{
  g_autofree char *label = NULL;

  if (previous != NULL && previous->record->finished && !previous->record->stopped
      && aw_run_record_same_setup (previous->record, record, NULL))
    {
      g_autofree char *mode = aw_run_record_format_mode (previous->record);
      g_autofree char *wall = format_seconds (previous->record->total_us);

      /* Translators: a line at the wall time of the run before: "Sequential run before: 1.81 s" */
      label = g_strdup_printf (_("%s run before: %s"), mode, wall);
    }
  aw_timing_chart_set_reference (self->chart, previous ? previous->record->total_us : 0, label);
}

/* The axis the window holds for runs of the same setup, or none for another. */
static void
hold_axis_for (AwWindow          *self,
               const AwRunRecord *record)
{
  if (self->axis_setup == NULL || !aw_run_record_same_setup (self->axis_setup, record, NULL))
    {
      g_clear_pointer (&self->axis_setup, aw_run_record_free);
      self->axis_setup = aw_run_record_copy (record);
      self->axis_us = 0;
    }
  aw_timing_chart_set_axis_floor_us (self->chart, self->axis_us);
  set_reference (self, self->history->len > 0 ? history_item (self, self->history->len - 1)
                                              : NULL, record);
}

/* The row's last line: how the run compares with the one before it, or why it does not. */
static char *
describe_against_previous (AwWindow    *self,
                           HistoryItem *item,
                           guint        index)
{
  HistoryItem *previous;
  g_autofree char *reason = NULL;
  g_autofree char *how = NULL;
  g_autofree char *differences = NULL;
  double ratio;

  if (index == 0)
    return NULL;
  previous = history_item (self, index - 1);
  if (!aw_run_record_compare (previous->record, item->record, &ratio, &reason))
    /* Translators: why a run in the history does not compare with the one before it */
    return g_strdup_printf (_("not compared with the run before: %s"), reason);
  differences = aw_run_record_describe_differences (previous->record, item->record);
  if (aw_run_record_is_as_fast (ratio))
    how = g_strdup (_("as fast as the run before"));
  else
    {
      g_autofree char *ratio_text = aw_run_record_format_ratio (ratio);

      /* Translators: how a run did against the one before: "3.0× faster than the run before" */
      how = g_strdup_printf (_("%s than the run before"), ratio_text);
    }
  if (differences == NULL)
    return g_steal_pointer (&how);
  /* Translators: how a run did against the one before it, and what differs between the two */
  return g_strdup_printf (_("%s (%s)"), how, differences);
}

/* A line of a history row: the title, or a caption on up to @lines lines (whole on hover). */
static GtkWidget *
new_row_label (const char *text,
               guint       lines)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_tooltip_text (label, text);
  if (lines > 0)
    {
      gtk_label_set_wrap (GTK_LABEL (label), lines > 1);
      gtk_label_set_lines (GTK_LABEL (label), lines);
      gtk_widget_add_css_class (label, "caption");
      gtk_widget_add_css_class (label, "dim-label");
    }
  return label;
}

static void
add_history_row (AwWindow    *self,
                 HistoryItem *item,
                 guint        index)
{
  const AwRunRecord *record = item->record;
  guint n_cities = g_strv_length (record->cities);
  g_autofree char *mode = aw_run_record_format_mode (record);
  g_autofree char *cities = NULL;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *time = g_date_time_format (record->started_at, "%H:%M:%S");
  g_autofree char *settings = aw_run_record_format_settings (record);
  g_autofree char *setup = NULL;
  g_autofree char *against = describe_against_previous (self, item, index);
  g_autofree char *check_name = NULL;
  char *figures[4];
  GtkWidget *row, *box, *texts;

  /* Translators: a run in the history: mode, number of tasks */
  cities = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %u city", "%s · %u cities",
                                         n_cities), mode, n_cities);
  /* Its figures are not those of a whole run: say so before anyone compares them. */
  if (record->stopped)
    /* Translators: a stopped run in the history; %s is "Concurrent · 3 cities" */
    title = g_strdup_printf (_("%s · stopped"), cities);
  else if (record->n_failed > 0)
    /* Translators: a run in the history with failed tasks; %s is "Concurrent · 3 cities" */
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %u failed", "%s · %u failed",
                                          record->n_failed), cities, record->n_failed);
  else
    title = g_steal_pointer (&cities);
  format_figures (record, figures);
  for (guint i = 0; i < G_N_ELEMENTS (figures); i++)
    /* A figure and its unit stay on one line when the subtitle wraps. */
    figures[i] = no_break (figures[i]);
  /* Translators: wall time, sum of tasks, speedup, longest frame of a run */
  subtitle = g_strdup_printf (_("wall %s · sum %s · %s · frame %s"),
                              figures[0], figures[1], figures[2], figures[3]);
  for (guint i = 0; i < G_N_ELEMENTS (figures); i++)
    g_free (figures[i]);
  /* Translators: when a run started, and its settings */
  setup = g_strdup_printf (_("%s · %s"), time, settings);

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  item->check = GTK_CHECK_BUTTON (gtk_check_button_new ());
  gtk_widget_set_tooltip_text (GTK_WIDGET (item->check), _("Tick to compare"));
  /* Translators: what a screen reader says for a history row's tick box; %s is the run,
   * "Concurrent · 3 cities" */
  check_name = g_strdup_printf (_("Compare %s"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (item->check),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, check_name, -1);
  gtk_widget_set_valign (GTK_WIDGET (item->check), GTK_ALIGN_START);
  g_signal_connect_swapped (item->check, "toggled", G_CALLBACK (on_history_check_toggled), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (item->check));

  texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  /* The settings on one line (whole on hover): the comparison with the run before matters more. */
  gtk_box_append (GTK_BOX (texts), new_row_label (title, 0));
  gtk_box_append (GTK_BOX (texts), new_row_label (subtitle, 2));
  gtk_box_append (GTK_BOX (texts), new_row_label (setup, 1));
  if (against != NULL)
    gtk_box_append (GTK_BOX (texts), new_row_label (against, 2));
  gtk_box_append (GTK_BOX (box), texts);

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data (G_OBJECT (row), "history-item", item);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle, -1);
  item->row = row;
  /* The newest on top. */
  gtk_list_box_prepend (self->history_list, row);
}

static void
on_history_saved (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GWeakRef *weak = user_data;
  g_autoptr(AwWindow) self = g_weak_ref_get (weak);
  g_autoptr(GError) error = NULL;

  g_weak_ref_clear (weak);
  g_free (weak);
  /* Said only by a window still open (its history goes when it closes). */
  if (!aw_history_save_finish (result, &error) && self != NULL && self->history != NULL)
    show_banner (self, GTK_MESSAGE_WARNING, error->message);
}

/* Off the main thread: a full history is about 10 ms of JSON, and the disk may be slow. */
static void
save_history (AwWindow *self)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new ();
  GWeakRef *weak = g_new0 (GWeakRef, 1);

  for (guint i = 0; i < self->history->len; i++)
    g_ptr_array_add (records, history_item (self, i)->record);
  /* Weak: a window closing waits for the save in its dispose, which a reference would delay. */
  g_weak_ref_init (weak, self);
  aw_history_save_async (records, on_history_saved, weak);
}

/* Adds a run to the history (with its bars, or from an earlier session with its figures),
 * keeping the newest AW_HISTORY_MAX_RUNS. */
static HistoryItem *
append_history (AwWindow    *self,
                AwRunRecord *record,
                AwFetchRun  *run)
{
  HistoryItem *item = g_new0 (HistoryItem, 1);

  item->record = record;
  item->run = run ? g_object_ref (run) : NULL;
  g_ptr_array_add (self->history, item);
  add_history_row (self, item, self->history->len - 1);

  while (self->history->len > AW_HISTORY_MAX_RUNS)
    {
      HistoryItem *oldest = history_item (self, 0);

      for (guint i = 0; i < G_N_ELEMENTS (self->shown); i++)
        if (self->shown[i] == oldest)
          self->shown[i] = NULL;
      gtk_list_box_remove (self->history_list, oldest->row);
      g_ptr_array_remove_index (self->history, 0);
    }
  return item;
}

static void
load_history (AwWindow *self)
{
  g_autofree char *notice = NULL;
  g_autoptr(GPtrArray) records = aw_history_load (&notice);

  g_ptr_array_set_free_func (records, NULL);
  for (guint i = 0; i < records->len; i++)
    {
      AwRunRecord *record = g_ptr_array_index (records, i);
      g_autoptr(AwFetchRun) run = aw_run_record_restore_run (record);

      append_history (self, record, run);
    }
  /* The next run of the last run's setup shares its axis, as within a session. */
  if (self->history->len > 0)
    {
      HistoryItem *last = history_item (self, self->history->len - 1);

      self->axis_setup = aw_run_record_copy (last->record);
      self->axis_us = last->record->total_us;
    }
  if (notice != NULL)
    show_banner (self, GTK_MESSAGE_WARNING, notice);
}

static void
show_history_item (AwWindow    *self,
                   HistoryItem *item)
{
  g_set_object (&self->run, item->run);
  self->frame_gap_us = item->record->frame_gap_us;
  set_shown (self, item, NULL);
  /* The shared axis, if the run is of the setup it was held for. */
  aw_timing_chart_set_axis_floor_us (self->chart,
                                     self->axis_setup != NULL
                                     && aw_run_record_same_setup (self->axis_setup, item->record,
                                                                  NULL)
                                     ? self->axis_us : 0);
  aw_timing_chart_set_run (self->chart, item->run);
  for (guint i = 0; i < self->history->len; i++)
    if (history_item (self, i) == item)
      set_reference (self, i > 0 ? history_item (self, i - 1) : NULL, item->record);
  gtk_stack_set_visible_child_name (self->chart_stack, "chart");
  update_figures (self);
  update_actions (self);
}

static void
on_history_row_activated (AwWindow      *self,
                          GtkListBoxRow *row)
{
  HistoryItem *item = g_object_get_data (G_OBJECT (row), "history-item");

  if (is_running (self))
    {
      select_shown_rows (self);
      return;
    }
  if (item->run == NULL)
    {
      select_shown_rows (self);
      g_autofree char *message =
        g_strdup_printf (_("The history keeps the settings and figures of an earlier session's "
                           "runs, and their bars up to %u tasks: this run's bars were not kept. "
                           "Tick it and another to compare their figures."),
                         AW_RUN_RECORD_MAX_TASKS);

      show_banner (self, GTK_MESSAGE_INFO, message);
      return;
    }
  show_history_item (self, item);
}

guint
aw_window_get_n_history (AwWindow *self)
{
  g_return_val_if_fail (AW_IS_WINDOW (self), 0);
  return self->history->len;
}

const AwRunRecord *
aw_window_get_history_record (AwWindow *self,
                              guint     index)
{
  g_return_val_if_fail (AW_IS_WINDOW (self), NULL);
  g_return_val_if_fail (index < self->history->len, NULL);
  return history_item (self, index)->record;
}

int
aw_window_get_highlighted_history (AwWindow *self,
                                   guint     nth)
{
  g_autoptr(GList) rows = NULL;
  GtkListBoxRow *row;

  g_return_val_if_fail (AW_IS_WINDOW (self), -1);

  rows = gtk_list_box_get_selected_rows (self->history_list);
  row = g_list_nth_data (rows, nth);
  if (row == NULL)
    return -1;
  for (guint i = 0; i < self->history->len; i++)
    if (history_item (self, i)->row == GTK_WIDGET (row))
      return i;
  return -1;
}

/* A run's header in the compare view: its number, name and figures; the second also says
 * what differs from the first. */
static char *
header_title (const AwRunRecord *record,
              const AwRunRecord *first,
              guint              number)
{
  g_autofree char *name = aw_run_record_format_name (record);
  g_autofree char *wall = format_seconds (record->total_us);
  g_autofree char *sum = format_seconds (record->sum_us);
  g_autofree char *differences = first ? aw_run_record_describe_differences (first, record)
                                       : NULL;
  g_autofree char *reason = NULL;
  g_autofree char *state = NULL;

  if (record->stopped)
    state = g_strdup (_(" · stopped"));
  else if (record->n_failed > 0)
    /* Translators: after a run's name in the compare view */
    state = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, " · %u failed", " · %u failed",
                                          record->n_failed), record->n_failed);
  if (first != NULL && !aw_run_record_compare (first, record, NULL, &reason))
    /* Translators: a run's header in the compare view: number, name, state, wall, sum, and
     * why it does not compare with the first run */
    return g_strdup_printf (_("%u. %s%s — wall %s, sum %s — does not compare with 1: %s"),
                            number, name, state ? state : "", wall, sum, reason);
  if (differences != NULL)
    /* Translators: a run's header in the compare view: number, name, state, wall, sum, and
     * what differs from the first run */
    return g_strdup_printf (_("%u. %s%s — wall %s, sum %s — differs: %s"), number, name,
                            state ? state : "", wall, sum, differences);
  /* Translators: a run's header in the compare view: number, name, state, wall, sum */
  return g_strdup_printf (_("%u. %s%s — wall %s, sum %s"), number, name, state ? state : "",
                          wall, sum);
}

void
aw_window_compare (AwWindow *self,
                   guint     a,
                   guint     b)
{
  HistoryItem *first, *second;
  g_autofree char *title_a = NULL;
  g_autofree char *title_b = NULL;
  AwFetchRun *runs[2];

  g_return_if_fail (AW_IS_WINDOW (self));
  g_return_if_fail (a < self->history->len && b < self->history->len && a != b);

  if (is_running (self))
    return;

  /* The earlier run first, as the line reads. */
  first = history_item (self, MIN (a, b));
  second = history_item (self, MAX (a, b));
  if (first->run == NULL || second->run == NULL)
    {
      g_autofree char *text = describe_comparison (first->record, second->record);
      g_autofree char *message =
        /* Translators: a comparison of runs whose bars an earlier session did not keep */
        g_strdup_printf (_("%s. Runs of an earlier session with more than %u tasks keep their "
                           "figures, not their bars."), text, AW_RUN_RECORD_MAX_TASKS);

      show_banner (self, GTK_MESSAGE_INFO, message);
      return;
    }

  runs[0] = first->run;
  runs[1] = second->run;
  g_set_object (&self->run, second->run);
  set_shown (self, first, second);
  aw_timing_chart_set_axis_floor_us (self->chart, 0);
  aw_timing_chart_set_runs (self->chart, runs, 2);
  title_a = header_title (first->record, NULL, 1);
  title_b = header_title (second->record, first->record, 2);
  aw_timing_chart_set_titles (self->chart, (const char *[]) { title_a, title_b, NULL });
  gtk_stack_set_visible_child_name (self->chart_stack, "chart");
  update_figures (self);
  update_actions (self);
}

static void
compare_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  AwWindow *self = AW_WINDOW (widget);
  int picked[2] = { -1, -1 };
  guint n = 0;

  for (guint i = 0; i < self->history->len && n < 2; i++)
    {
      HistoryItem *item = history_item (self, i);

      if (gtk_check_button_get_active (item->check))
        picked[n++] = i;
    }
  if (n == 2)
    aw_window_compare (self, picked[0], picked[1]);
}

/* The run on screen and the one before it, stacked (offered when they compare). */
static void
compare_last_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  AwWindow *self = AW_WINDOW (widget);
  guint index;

  if (get_current_pair (self, &index))
    aw_window_compare (self, index - 1, index);
}

void
aw_window_fit_axis (AwWindow *self)
{
  g_return_if_fail (AW_IS_WINDOW (self));

  aw_timing_chart_set_axis_floor_us (self->chart, 0);
  /* What the run on screen needs, held from now on for runs of its setup. */
  if (!is_comparing (self) && self->shown[0] != NULL)
    {
      g_clear_pointer (&self->axis_setup, aw_run_record_free);
      self->axis_setup = aw_run_record_copy (self->shown[0]->record);
      self->axis_us = aw_timing_chart_get_axis_us (self->chart);
    }
  aw_timing_chart_set_axis_floor_us (self->chart, is_comparing (self) ? 0 : self->axis_us);
}

static void
fit_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  aw_window_fit_axis (AW_WINDOW (widget));
}

/* Runs */

static void
on_task_changed (AwWindow   *self,
                 AwTask     *task,
                 AwFetchRun *run)
{
  CityResult *result;
  GHashTableIter iter;
  gpointer item;

  if (!aw_task_is_finished (task) || aw_task_get_state (task) == AW_TASK_CANCELLED)
    return;

  result = g_new0 (CityResult, 1);
  if (aw_task_get_weather (task) != NULL)
    result->weather = aw_weather_copy (aw_task_get_weather (task));
  else
    result->error = g_strdup (aw_task_get_error (task)->message);
  result->fetched_at = g_date_time_new_now_local ();
  result->active_us = aw_task_get_active_us (task);
  g_hash_table_insert (self->results, g_strdup (aw_task_get_city (task)), result);

  /* Its row shows it now, if on screen: refilling every row at the end of a run of 1000 made
   * that one frame take 40 ms. */
  g_hash_table_iter_init (&iter, self->bound_rows);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    if (g_strcmp0 (gtk_string_object_get_string (gtk_list_item_get_item (item)),
                   aw_task_get_city (task)) == 0)
      fill_city_row (self, item);
}

static void
finish_run (AwWindow *self)
{
  guint n_failed = aw_fetch_run_get_n_failed (self->run);
  guint n_tasks = aw_fetch_run_get_n_tasks (self->run);
  AwMode mode = aw_fetch_run_get_mode (self->run);
  AwRunRecord *record = g_steal_pointer (&self->live_record);

  aw_run_record_set_result (record, self->run, self->frame_gap_us);
  set_shown (self, append_history (self, record, self->run), NULL);
  save_history (self);
  /* The next run of this setup keeps this axis. */
  self->axis_us = MAX (self->axis_us, aw_timing_chart_get_axis_us (self->chart));
  /* The freeze stays on the chart, where it happened on the run's time axis. */
  if (self->frame_gap_us >= FROZEN_US && self->run_start_us != 0)
    aw_timing_chart_add_freeze (self->chart, self->run, self->gap_start_us - self->run_start_us,
                                self->gap_end_us - self->run_start_us);

  update_figures (self);
  update_actions (self);

  if (g_cancellable_is_cancelled (self->cancellable))
    show_banner (self, GTK_MESSAGE_INFO, _("The run was stopped: its tasks ended as cancelled."));
  else if (n_failed > 0)
    {
      g_autofree char *message = g_strdup_printf (
        g_dngettext (GETTEXT_PACKAGE, "%u of %u task failed: the city list says why.",
                     "%u of %u tasks failed: the city list says why.", n_tasks),
        n_failed, n_tasks);

      show_banner (self, GTK_MESSAGE_WARNING, message);
    }
  else if (mode == AW_MODE_BLOCKING)
    {
      g_autofree char *message = g_strdup_printf (
        _("The window was frozen for %.1f s: Blocking ran every request on the main thread, "
          "like time.sleep in the tutorial."), self->frame_gap_us / (double)G_USEC_PER_SEC);

      show_banner (self, GTK_MESSAGE_INFO, message);
    }
}

static void
on_run_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(AwWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!aw_fetch_run_run_finish (AW_FETCH_RUN (object), result, &error))
    show_banner (self, GTK_MESSAGE_ERROR, error->message);
}

static void
start_engine (AwWindow *self)
{
  self->start_on_tick = FALSE;
  self->run_start_us = g_get_monotonic_time ();
  aw_fetch_run_run_async (self->run, self->cancellable, on_run_done, g_object_ref (self));
}

/* Blocking, once the running state is on screen: the server has the frame before the freeze. */
static gboolean
start_blocking (gpointer user_data)
{
  AwWindow *self = user_data;

  self->block_source = 0;
  gdk_display_sync (gtk_widget_get_display (GTK_WIDGET (self)));
  start_engine (self);
  return G_SOURCE_REMOVE;
}

static void
on_painted_before_block (AwWindow      *self,
                         GdkFrameClock *frame_clock)
{
  g_signal_handlers_disconnect_by_func (frame_clock, on_painted_before_block, self);
  self->block_armed = FALSE;
  /* From the loop, not from inside the frame clock's paint cycle. */
  self->block_source = g_idle_add (start_blocking, self);
}

/* The frame meter: the longest gap between two frames while the run is live, and one frame
 * after it ends (the Blocking mode's only gap), and the clock beside Stop. The run itself
 * starts from the first tick, so that a frame's time stands just before it; Blocking starts
 * after a painted frame, so that the window shows what is running before it freezes. */
static gboolean
on_frame (GtkWidget     *widget,
          GdkFrameClock *frame_clock,
          gpointer       user_data)
{
  AwWindow *self = AW_WINDOW (widget);
  /* The clock, not the frame clock's smoothed frame times, which hide a frozen loop. */
  gint64 now = g_get_monotonic_time ();
  g_autofree char *clock = NULL;

  if (self->last_frame_us != 0 && now - self->last_frame_us > self->frame_gap_us)
    {
      self->frame_gap_us = now - self->last_frame_us;
      self->gap_start_us = self->last_frame_us;
      self->gap_end_us = now;
    }
  self->last_frame_us = now;
  clock = g_strdup_printf (_("%.1f s"), (now - self->pressed_us) / (double)G_USEC_PER_SEC);
  gtk_label_set_text (self->clock_label, clock);

  if (self->start_on_tick)
    {
      if (aw_fetch_run_get_mode (self->run) != AW_MODE_BLOCKING)
        start_engine (self);
      else if (!self->block_armed && self->block_source == 0
               && now - self->pressed_us >= BLOCK_LEAD_US)
        {
          self->block_armed = TRUE;
          g_signal_connect_object (frame_clock, "after-paint",
                                   G_CALLBACK (on_painted_before_block), self,
                                   G_CONNECT_SWAPPED);
        }
      return G_SOURCE_CONTINUE;
    }

  if (aw_fetch_run_is_finished (self->run) && self->frames_after_end++ > 0)
    {
      self->frame_tick_id = 0;
      finish_run (self);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* What makes the run about to start, read from the same settings it is made with. */
static AwRunRecord *
record_settings (AwWindow           *self,
                 AwMode              mode,
                 const char * const *cities)
{
  AwRunRecord *record = aw_run_record_new ();

  record->mode = mode;
  record->limit = mode == AW_MODE_LIMITED ? aw_fetch_run_get_limit (self->run) : 0;
  record->conns_per_host = MAX (g_settings_get_int (self->settings, "conns-per-host"), 0);
  g_free (record->service);
  record->service = g_settings_get_string (self->settings, "provider");
  if (g_strcmp0 (record->service, "demo") == 0)
    {
      record->latency_min_s = g_settings_get_double (self->settings, "demo-latency");
      record->latency_max_s = MAX (record->latency_min_s,
                                   g_settings_get_double (self->settings, "demo-latency-max"));
      record->failure_rate = g_settings_get_double (self->settings, "demo-failure-rate");
    }
  record->timeout_s = g_settings_get_double (self->settings, "timeout");
  g_strfreev (record->cities);
  record->cities = g_strdupv ((char **)cities);
  return record;
}

static void
start_run (AwWindow *self,
           AwMode    mode)
{
  AwApplication *app = AW_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autoptr(AwProvider) provider = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) cities = NULL;

  g_return_if_fail (AW_IS_WINDOW (self));

  if (is_running (self) || self->frame_tick_id != 0)
    return;

  cities = g_settings_get_strv (self->settings, "cities");
  if (cities[0] == NULL)
    {
      show_banner (self, GTK_MESSAGE_WARNING, _("Add a city first: there is nothing to fetch."));
      gtk_widget_grab_focus (GTK_WIDGET (self->city_entry));
      return;
    }

  provider = aw_application_create_provider (app, &error);
  if (provider == NULL)
    {
      show_banner (self, GTK_MESSAGE_ERROR, error->message);
      return;
    }

  if (mode == AW_MODE_BLOCKING)
    show_banner (self, GTK_MESSAGE_WARNING,
                 _("Blocking runs every request on the main thread: from now until the last one "
                   "ends, the window is frozen. The clock beside Stop stops with it."));
  else
    gtk_info_bar_set_revealed (self->banner, FALSE);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (self->run != NULL)
    g_signal_handlers_disconnect_by_data (self->run, self);
  g_clear_object (&self->run);

  self->run = aw_fetch_run_new (provider, mode, (const char * const *)cities);
  aw_fetch_run_set_limit (self->run, g_settings_get_int (self->settings, "limit"));
  aw_fetch_run_set_timeout (self->run, g_settings_get_double (self->settings, "timeout"));
  aw_fetch_run_set_conns_per_host (self->run,
                                   g_settings_get_int (self->settings, "conns-per-host"));
  g_signal_connect_object (self->run, "task-changed", G_CALLBACK (on_task_changed), self,
                           G_CONNECT_SWAPPED);

  g_clear_pointer (&self->live_record, aw_run_record_free);
  self->live_record = record_settings (self, mode, (const char * const *)cities);
  set_shown (self, NULL, NULL);
  hold_axis_for (self, self->live_record);
  aw_timing_chart_set_run (self->chart, self->run);
  gtk_stack_set_visible_child_name (self->chart_stack, "chart");
  gtk_drop_down_set_selected (self->mode_dropdown, mode);

  self->frame_gap_us = 0;
  self->last_frame_us = 0;
  self->frames_after_end = 0;
  self->pressed_us = g_get_monotonic_time ();
  self->run_start_us = 0;
  gtk_label_set_text (self->clock_label, _("0.0 s"));
  self->start_on_tick = TRUE;
  self->frame_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), on_frame, NULL, NULL);
  update_figures (self);
  update_actions (self);
}

static void
on_run_consented (GtkWindow *window,
                  AwMode     mode)
{
  start_run (AW_WINDOW (window), mode);
}

void
aw_window_start_run (AwWindow *self,
                     AwMode    mode)
{
  g_return_if_fail (AW_IS_WINDOW (self));

  if (is_running (self) || self->frame_tick_id != 0)
    return;
  /* A large run against somebody else's service asks first (aw-run-consent.c). */
  if (!aw_run_consent_ask (GTK_WINDOW (self), self->settings, mode, on_run_consented))
    start_run (self, mode);
}

void
aw_window_stop_run (AwWindow *self)
{
  g_return_if_fail (AW_IS_WINDOW (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
on_blocking_confirmed (GtkDialog *dialog,
                       int        response,
                       AwWindow  *self)
{
  gtk_window_destroy (GTK_WINDOW (dialog));
  if (response == GTK_RESPONSE_ACCEPT)
    aw_window_start_run (self, AW_MODE_BLOCKING);
}

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  AwWindow *self = AW_WINDOW (widget);
  AwMode mode = gtk_drop_down_get_selected (self->mode_dropdown);
  GtkWidget *dialog;

  if (mode != AW_MODE_BLOCKING)
    {
      aw_window_start_run (self, mode);
      return;
    }

  /* Blocking freezes the window on purpose: say so first. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  dialog = gtk_message_dialog_new (GTK_WINDOW (self),
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_WARNING, GTK_BUTTONS_NONE,
                                   _("Freeze the Window?"));
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog),
    _("Blocking mode runs every request on the main thread, one after another, as time.sleep "
      "does in the tutorial. The window will not respond until the run ends, and Stop will not "
      "work."));
  gtk_dialog_add_buttons (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL,
                          _("_Run and Freeze"), GTK_RESPONSE_ACCEPT, NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  G_GNUC_END_IGNORE_DEPRECATIONS
  g_signal_connect (dialog, "response", G_CALLBACK (on_blocking_confirmed), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  aw_window_stop_run (AW_WINDOW (widget));
}

/* Export */

gboolean
aw_widget_save_png (GtkWidget   *widget,
                    const char  *path,
                    GError     **error)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GFile) file = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GdkRGBA background;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (widget),
                                       "theme_base_color", &background))
    gdk_rgba_parse (&background, "white");
  G_GNUC_END_IGNORE_DEPRECATIONS

  gtk_snapshot_append_color (snapshot, &background, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_to_node (snapshot);
  if (node == NULL || gtk_widget_get_native (widget) == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Nothing is drawn yet"));
      return FALSE;
    }
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  png = gdk_texture_save_to_png_bytes (texture);
  file = g_file_new_for_path (path);
  return aw_export_write (file, g_bytes_get_data (png, NULL), g_bytes_get_size (png), error);
}

/* The runs on screen: the two compared, or the one shown. */
static guint
get_shown_runs (AwWindow    *self,
                AwFetchRun **runs)
{
  if (is_comparing (self))
    {
      runs[0] = self->shown[0]->run;
      runs[1] = self->shown[1]->run;
      return 2;
    }
  runs[0] = self->run;
  return self->run != NULL ? 1 : 0;
}

gboolean
aw_window_export_runs (AwWindow    *self,
                       const char  *format,
                       const char  *path,
                       GError     **error)
{
  AwFetchRun *runs[2];
  guint n_runs;

  g_return_val_if_fail (AW_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (format != NULL && path != NULL, FALSE);

  n_runs = get_shown_runs (self, runs);
  if (n_runs == 0 || is_running (self))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("No finished run to export"));
      return FALSE;
    }
  return aw_export_runs_to_file (runs, n_runs,
                                 g_str_equal (format, "har") ? AW_EXPORT_HAR
                                 : g_str_equal (format, "trace") ? AW_EXPORT_TRACE
                                 : AW_EXPORT_CSV,
                                 path, error);
}

gboolean
aw_window_export_png (AwWindow    *self,
                      const char  *path,
                      GError     **error)
{
  GtkLabel *labels[] = { self->wall_label, self->sum_label, self->speedup_label,
                         self->stall_label };
  g_autoptr(GStrvBuilder) figures = g_strv_builder_new ();
  g_auto(GStrv) figure_texts = NULL;
  g_autoptr(GString) title = g_string_new (NULL);
  g_autoptr(GString) subtitle = g_string_new (NULL);
  guint n_runs = aw_timing_chart_get_n_runs (self->chart);
  AwFetchRun *run;
  g_autofree char *date = NULL;
  guint n_tasks;

  g_return_val_if_fail (AW_IS_WINDOW (self), FALSE);

  if (n_runs == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Nothing is drawn yet"));
      return FALSE;
    }

  /* The title: the mode of each run shown, and how many cities. */
  run = aw_timing_chart_get_run (self->chart, n_runs - 1);
  n_tasks = aw_fetch_run_get_n_tasks (run);
  for (guint i = 0; i < n_runs; i++)
    {
      if (i > 0)
        /* Translators: between the modes of runs compared in an exported picture */
        g_string_append (title, _(" and "));
      g_string_append (title, aw_mode_get_label (aw_fetch_run_get_mode (
                                aw_timing_chart_get_run (self->chart, i))));
    }
  /* Translators: after the mode(s) in an exported picture's title */
  g_string_append_printf (title, g_dngettext (GETTEXT_PACKAGE, " · %u city", " · %u cities",
                                              n_tasks), n_tasks);

  /* The subtitle: the first cities, then when. */
  for (guint i = 0; i < MIN (n_tasks, 5); i++)
    g_string_append_printf (subtitle, "%s%s", i > 0 ? ", " : "",
                            aw_task_get_city (aw_fetch_run_get_task (run, i)));
  if (n_tasks > 5)
    /* Translators: after the first five cities of an exported picture's subtitle */
    g_string_append_printf (subtitle, g_dngettext (GETTEXT_PACKAGE, " and %u more",
                                                   " and %u more", n_tasks - 5), n_tasks - 5);
  if (aw_fetch_run_get_started_at (run) != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (aw_fetch_run_get_started_at (run));

      /* Translators: the date and time of a run in an exported picture; see g_date_time_format */
      date = g_date_time_format (local, _("%e %B %Y, %H:%M"));
      g_string_append_printf (subtitle, " · %s", g_strstrip (date));
    }

  /* The figures as shown under the chart. */
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      const char *value = g_object_get_data (G_OBJECT (labels[i]), "value");
      const char *caption = g_object_get_data (G_OBJECT (labels[i]), "caption");

      g_strv_builder_add (figures, value != NULL ? value : "");
      g_strv_builder_add (figures, caption != NULL ? caption : "");
    }
  figure_texts = g_strv_builder_end (figures);

  return aw_png_export (self->chart, title->str, subtitle->str,
                        (const char * const *)figure_texts,
                        AW_PNG_EXPORT_WIDTH, AW_PNG_EXPORT_HEIGHT, path, error);
}

static void
on_export_response (GtkNativeDialog *chooser,
                    int              response,
                    AwWindow        *self)
{
  const char *format = g_object_get_data (G_OBJECT (chooser), "format");
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (response != GTK_RESPONSE_ACCEPT)
    goto out;

  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  path = g_file_get_path (file);
  if (g_str_equal (format, "png"))
    ok = aw_window_export_png (self, path, &error);
  else
    ok = aw_window_export_runs (self, format, path, &error);
  if (!ok)
    show_banner (self, GTK_MESSAGE_ERROR, error->message);

out:
  g_object_unref (chooser);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  AwWindow *self = AW_WINDOW (widget);
  const char *format = g_variant_get_string (parameter, NULL);
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;

  if (self->run == NULL || !aw_fetch_run_is_finished (self->run))
    return;

  if (is_comparing (self))
    name = g_strdup_printf ("async-weather-%s-vs-%s.%s",
                            aw_mode_to_string (self->shown[0]->record->mode),
                            aw_mode_to_string (self->shown[1]->record->mode),
                            g_str_equal (format, "trace") ? "json" : format);
  else
    name = g_strdup_printf ("async-weather-%s.%s",
                            aw_mode_to_string (aw_fetch_run_get_mode (self->run)),
                            g_str_equal (format, "trace") ? "json" : format);
  chooser = gtk_file_chooser_native_new (_("Export Run"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_object_set_data_full (G_OBJECT (chooser), "format", g_strdup (format), g_free);
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* The dark variant of the theme (GTK 4.8 has no CSS query for it): a class on the window,
 * so that the style sheet gives error text a red that reads on dark backgrounds. */
static void
update_dark_class (AwWindow *self)
{
  GtkSettings *settings = gtk_widget_get_settings (GTK_WIDGET (self));
  g_autofree char *theme = NULL;
  gboolean dark = FALSE;

  g_object_get (settings, "gtk-theme-name", &theme,
                "gtk-application-prefer-dark-theme", &dark, NULL);
  if (dark || (theme != NULL && g_str_has_suffix (theme, "-dark")))
    gtk_widget_add_css_class (GTK_WIDGET (self), "dark");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "dark");
}

/* Presentation mode: the chart alone, large, for a projector */

void
aw_window_set_presentation (AwWindow *self,
                            gboolean  presentation)
{
  g_return_if_fail (AW_IS_WINDOW (self));

  presentation = !!presentation;
  if (self->presentation == presentation)
    return;
  self->presentation = presentation;
  gtk_widget_set_visible (self->sidebar, !presentation);
  if (presentation)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "presentation");
      gtk_window_fullscreen (GTK_WINDOW (self));
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), "presentation");
      gtk_window_unfullscreen (GTK_WINDOW (self));
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRESENTATION]);
}

/* Escape leaves presentation mode, as in slide software; while a run is live it is Stop's. */
static gboolean
leave_presentation (GtkWidget *widget,
                    GVariant  *args,
                    gpointer   user_data)
{
  AwWindow *self = AW_WINDOW (widget);

  if (!self->presentation || is_running (self))
    return FALSE;
  aw_window_set_presentation (self, FALSE);
  return TRUE;
}

gboolean
aw_window_get_presentation (AwWindow *self)
{
  g_return_val_if_fail (AW_IS_WINDOW (self), FALSE);
  return self->presentation;
}

/* The mode menu: each mode with its Python equivalent under it. */
static void
on_mode_item_setup (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *python = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_xalign (GTK_LABEL (python), 0);
  gtk_widget_add_css_class (python, "python");
  gtk_widget_add_css_class (python, "dim-label");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), python);
  gtk_list_item_set_child (item, box);
}

static void
on_mode_item_bind (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   gpointer                  user_data)
{
  GtkWidget *label = gtk_widget_get_first_child (gtk_list_item_get_child (item));
  guint mode = gtk_list_item_get_position (item);

  gtk_label_set_text (GTK_LABEL (label),
                      gtk_string_object_get_string (gtk_list_item_get_item (item)));
  if (mode < AW_N_MODES)
    gtk_label_set_text (GTK_LABEL (gtk_widget_get_next_sibling (label)), _(mode_python[mode]));
}

const char *
aw_window_get_mode_python (AwMode mode)
{
  g_return_val_if_fail (mode < AW_N_MODES, NULL);
  return _(mode_python[mode]);
}

/* Settings and window state */

static void
on_mode_selected (AwWindow *self)
{
  guint mode = gtk_drop_down_get_selected (self->mode_dropdown);

  if (mode < AW_N_MODES)
    {
      g_autofree char *tooltip = NULL;

      g_settings_set_enum (self->settings, "mode", mode);
      /* Translators: the mode menu's tooltip; %s is the mode's Python equivalent */
      tooltip = g_strdup_printf (_("How the tasks run. In Python: %s"), _(mode_python[mode]));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->mode_dropdown), tooltip);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->limit_spin), mode == AW_MODE_LIMITED);
}

static void
build_legend (AwWindow *self)
{
  for (AwPhase phase = 0; phase < AW_N_PHASES; phase++)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
      GtkWidget *swatch = gtk_label_new (NULL);
      g_autofree char *markup = NULL;
      GdkRGBA color;
      g_autofree char *css_color = NULL;

      aw_timing_chart_get_phase_color (phase, &color);
      css_color = gdk_rgba_to_string (&color);
      markup = g_strdup_printf ("<span foreground=\"#%02x%02x%02x\">■</span>",
                                (int)(color.red * 255), (int)(color.green * 255),
                                (int)(color.blue * 255));
      gtk_label_set_markup (GTK_LABEL (swatch), markup);
      gtk_box_append (GTK_BOX (box), swatch);
      gtk_box_append (GTK_BOX (box), gtk_label_new (aw_phase_get_label (phase)));
      gtk_widget_add_css_class (box, "caption");
      gtk_box_append (self->legend, box);
    }
}

/* The marks that are not phases, after them: labelled, each in a colour of its own, each
 * shown while the chart has one (update_mark_legend). */
static void
add_mark_legend (AwWindow *self)
{
  struct { const char *glyph; int mark; const char *label; } entries[] = {
    { "┃", -1, N_("wall time") },
    { "┃", AW_TIMING_CHART_MARK_SUM, N_("sum of tasks") },
    { NULL, AW_TIMING_CHART_MARK_FAILED, N_("failed") },
    { NULL, AW_TIMING_CHART_MARK_STOPPED, N_("stopped") },
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (entries) == G_N_ELEMENTS (self->mark_legend));
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
      GtkWidget *swatch = gtk_label_new (NULL);
      const char *glyph = entries[i].glyph;
      g_autofree char *markup = NULL;
      GdkRGBA color;

      if (glyph == NULL)
        glyph = aw_timing_chart_get_end_mark (entries[i].mark == AW_TIMING_CHART_MARK_FAILED
                                              ? AW_TASK_FAILED : AW_TASK_CANCELLED);
      if (entries[i].mark < 0)
        markup = g_markup_escape_text (glyph, -1);
      else
        {
          aw_timing_chart_get_mark_color (entries[i].mark, &color);
          markup = g_strdup_printf ("<span foreground=\"#%02x%02x%02x\">%s</span>",
                                    (int)(color.red * 255), (int)(color.green * 255),
                                    (int)(color.blue * 255), glyph);
        }
      gtk_label_set_markup (GTK_LABEL (swatch), markup);
      gtk_box_append (GTK_BOX (box), swatch);
      gtk_box_append (GTK_BOX (box), gtk_label_new (_(entries[i].label)));
      gtk_widget_add_css_class (box, "caption");
      gtk_widget_set_visible (box, FALSE);
      gtk_box_append (self->legend, box);
      self->mark_legend[i] = box;
    }
}

static gboolean
aw_window_close_request (GtkWindow *window)
{
  AwWindow *self = AW_WINDOW (window);
  int width, height;

  /* No callback may reach a closed window. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));

  return GTK_WINDOW_CLASS (aw_window_parent_class)->close_request (window);
}

static void
aw_window_dispose (GObject *object)
{
  AwWindow *self = (AwWindow *)object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->run != NULL)
    g_signal_handlers_disconnect_by_data (self->run, self);
  if (self->frame_tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->frame_tick_id);
      self->frame_tick_id = 0;
    }
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_handle_id (&self->block_source, g_source_remove);

  g_clear_object (&self->run);
  /* The last run is in the file before the window (or the app) goes. */
  aw_history_wait ();
  self->shown[0] = self->shown[1] = NULL;
  g_clear_pointer (&self->history, g_ptr_array_unref);
  g_clear_pointer (&self->live_record, aw_run_record_free);
  g_clear_pointer (&self->axis_setup, aw_run_record_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), AW_TYPE_WINDOW);

  G_OBJECT_CLASS (aw_window_parent_class)->dispose (object);
}

static void
aw_window_finalize (GObject *object)
{
  AwWindow *self = (AwWindow *)object;

  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->results, g_hash_table_unref);
  g_clear_pointer (&self->bound_rows, g_hash_table_unref);
  g_clear_pointer (&self->undo_cities, g_strfreev);
  g_clear_pointer (&self->undo_after, g_strfreev);

  G_OBJECT_CLASS (aw_window_parent_class)->finalize (object);
}

/* Names for the screen reader that GTK 4.8 does not take from the template. */
static void
name_for_screen_readers (AwWindow *self)
{
  aw_accessible_name_inner_buttons (GTK_WIDGET (self->mode_dropdown), _("Mode"));
  aw_accessible_name_inner_buttons (GTK_WIDGET (self->banner), _("Close"));
  aw_accessible_name_by_labels (GTK_WIDGET (self));
}

static void
aw_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  AwWindow *self = AW_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PRESENTATION:
      g_value_set_boolean (value, self->presentation);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
aw_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  AwWindow *self = AW_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PRESENTATION:
      aw_window_set_presentation (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
aw_window_class_init (AwWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = aw_window_dispose;
  object_class->finalize = aw_window_finalize;
  object_class->get_property = aw_window_get_property;
  object_class->set_property = aw_window_set_property;
  window_class->close_request = aw_window_close_request;

  properties[PROP_PRESENTATION] =
    g_param_spec_boolean ("presentation", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (AW_TYPE_TIMING_CHART);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/asyncweather/AsyncWeather/aw-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AwWindow, mode_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, limit_spin);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, run_button);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, stop_button);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, clock_label);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, export_button);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, city_entry);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, entry_message);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, cities_stack);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, city_count);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, undo_revealer);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, undo_label);
  gtk_widget_class_bind_template_callback (widget_class, forget_undo);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, city_list);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, city_model);
  gtk_widget_class_bind_template_callback (widget_class, on_city_row_setup);
  gtk_widget_class_bind_template_callback (widget_class, on_city_row_bind);
  gtk_widget_class_bind_template_callback (widget_class, on_city_row_unbind);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, history_list);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, compare_button);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, banner);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, chart_stack);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, chart);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, legend);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, wall_label);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, sum_label);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, speedup_label);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, stall_label);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, compare_label);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, stack_button);
  gtk_widget_class_bind_template_callback (widget_class, on_city_entry_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_city_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_history_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_banner_response);

  gtk_widget_class_install_action (widget_class, "win.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "win.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "win.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "win.compare", NULL, compare_action);
  gtk_widget_class_install_action (widget_class, "win.compare-last", NULL, compare_last_action);
  gtk_widget_class_install_action (widget_class, "win.fit-axis", NULL, fit_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK,
                                       "win.fit-axis", NULL);
  gtk_widget_class_install_action (widget_class, "win.add-samples", "u", add_samples_action);
  gtk_widget_class_install_action (widget_class, "win.import-cities", NULL, import_cities_action);
  gtk_widget_class_install_action (widget_class, "win.remove-all-cities", NULL,
                                   remove_all_cities_action);
  gtk_widget_class_install_action (widget_class, "win.undo-remove", NULL, undo_remove_action);
  gtk_widget_class_install_property_action (widget_class, "win.presentation", "presentation");
}

static void
aw_window_init (AwWindow *self)
{
  g_autoptr(GtkStringList) modes = gtk_string_list_new (NULL);

  /* Before the template: its list view unbinds its rows when disposed. */
  self->bound_rows = g_hash_table_new (NULL, NULL);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->results = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify)city_result_free);
  self->history = g_ptr_array_new_with_free_func ((GDestroyNotify)history_item_free);

  for (AwMode mode = 0; mode < AW_N_MODES; mode++)
    gtk_string_list_append (modes, aw_mode_get_label (mode));
  gtk_drop_down_set_model (self->mode_dropdown, G_LIST_MODEL (modes));
  {
    g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

    g_signal_connect (factory, "setup", G_CALLBACK (on_mode_item_setup), NULL);
    g_signal_connect (factory, "bind", G_CALLBACK (on_mode_item_bind), NULL);
    gtk_drop_down_set_list_factory (self->mode_dropdown, factory);
  }

  name_for_screen_readers (self);

  build_legend (self);
  add_mark_legend (self);
  update_figures (self);

  g_signal_connect (gtk_editable_get_delegate (GTK_EDITABLE (self->city_entry)), "insert-text",
                    G_CALLBACK (on_entry_insert_text), self);
  aw_city_import_add_completion (self->city_entry);
  g_signal_connect_object (gtk_widget_get_settings (GTK_WIDGET (self)),
                           "notify::gtk-application-prefer-dark-theme",
                           G_CALLBACK (update_dark_class), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_widget_get_settings (GTK_WIDGET (self)), "notify::gtk-theme-name",
                           G_CALLBACK (update_dark_class), self, G_CONNECT_SWAPPED);
  update_dark_class (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo-remove", FALSE);

  /* Before the focused widget and the application's shortcuts see the key. */
  {
    GtkEventController *keys = gtk_shortcut_controller_new ();

    gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape,
                                                                                    0),
                                                            gtk_callback_action_new (
                                                              leave_presentation, NULL, NULL)));
    gtk_widget_add_controller (GTK_WIDGET (self), keys);
  }
}

AwWindow *
aw_window_new (AwApplication *application)
{
  AwWindow *self = g_object_new (AW_TYPE_WINDOW, "application", application, NULL);

  self->settings = g_object_ref (aw_application_get_settings (application));

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  gtk_drop_down_set_selected (self->mode_dropdown, g_settings_get_enum (self->settings, "mode"));
  g_signal_connect_swapped (self->mode_dropdown, "notify::selected",
                            G_CALLBACK (on_mode_selected), self);
  on_mode_selected (self);
  g_settings_bind (self->settings, "limit", self->limit_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_swapped (self->settings, "changed::cities", G_CALLBACK (rebuild_city_list),
                            self);
  rebuild_city_list (self);
  load_history (self);
  update_figures (self);
  update_actions (self);
  return self;
}

AwFetchRun *
aw_window_get_run (AwWindow *self)
{
  g_return_val_if_fail (AW_IS_WINDOW (self), NULL);
  return self->run;
}

AwTimingChart *
aw_window_get_chart (AwWindow *self)
{
  g_return_val_if_fail (AW_IS_WINDOW (self), NULL);
  return self->chart;
}
