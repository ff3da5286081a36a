/* aw-history-list.c: the history: a GListStore of AwHistoryItem (a run's record, its bars
 * while kept, whether it is ticked to compare) bound to a list box, newest on top; each row
 * says the run, its figures, its setup and how it did against the run before. By keyboard the
 * list is one tab stop: arrows go from row to row, Space ticks the focused row, Enter shows it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "aw-accessible.h"
#include "aw-history.h"
#include "aw-history-list.h"
#include "aw-run-figures.h"

struct _AwHistoryItem
{
  GObject      parent_instance;

  AwRunRecord *record;
  AwFetchRun  *run;       /* NULL for a large run of an earlier session */
  char        *against;   /* how it did against the run before it, or NULL */
  gboolean     checked;
};

G_DEFINE_FINAL_TYPE (AwHistoryItem, aw_history_item, G_TYPE_OBJECT)

enum {
  ITEM_PROP_0,
  ITEM_PROP_CHECKED,
  ITEM_N_PROPS
};

static GParamSpec *item_properties[ITEM_N_PROPS];

static void
aw_history_item_finalize (GObject *object)
{
  AwHistoryItem *self = (AwHistoryItem *)object;

  g_clear_object (&self->run);
  g_clear_pointer (&self->record, aw_run_record_free);
  g_clear_pointer (&self->against, g_free);
  G_OBJECT_CLASS (aw_history_item_parent_class)->finalize (object);
}

static void
aw_history_item_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  AwHistoryItem *self = AW_HISTORY_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_CHECKED:
      g_value_set_boolean (value, self->checked);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
aw_history_item_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  AwHistoryItem *self = AW_HISTORY_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_CHECKED:
      aw_history_item_set_checked (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
aw_history_item_class_init (AwHistoryItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = aw_history_item_finalize;
  object_class->get_property = aw_history_item_get_property;
  object_class->set_property = aw_history_item_set_property;

  item_properties[ITEM_PROP_CHECKED] =
    g_param_spec_boolean ("checked", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, ITEM_N_PROPS, item_properties);
}

static void
aw_history_item_init (AwHistoryItem *self)
{
}

const AwRunRecord *
aw_history_item_get_record (AwHistoryItem *self)
{
  g_return_val_if_fail (AW_IS_HISTORY_ITEM (self), NULL);
  return self->record;
}

AwFetchRun *
aw_history_item_get_run (AwHistoryItem *self)
{
  g_return_val_if_fail (AW_IS_HISTORY_ITEM (self), NULL);
  return self->run;
}

gboolean
aw_history_item_get_checked (AwHistoryItem *self)
{
  g_return_val_if_fail (AW_IS_HISTORY_ITEM (self), FALSE);
  return self->checked;
}

void
aw_history_item_set_checked (AwHistoryItem *self,
                             gboolean       checked)
{
  g_return_if_fail (AW_IS_HISTORY_ITEM (self));

  checked = !!checked;
  if (self->checked == checked)
    return;
  self->checked = checked;
  g_object_notify_by_pspec (G_OBJECT (self), item_properties[ITEM_PROP_CHECKED]);
}

struct _AwHistoryList
{
  GtkWidget   parent_instance;

  /* template widgets */
  GtkListBox *list_box;

  /* owned */
  GListStore *store;       /* AwHistoryItem, the newest first as shown */
};

G_DEFINE_FINAL_TYPE (AwHistoryList, aw_history_list, GTK_TYPE_WIDGET)

enum {
  ITEM_ACTIVATED,
  CHECKS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Takes @text; returns it with its spaces made non-breaking. */
static char *
no_break (char *text)
{
  g_auto(GStrv) words = g_strsplit (text, " ", -1);

  g_free (text);
  return g_strjoinv ("\u00a0", words);
}

/* How @record did against @previous, the run before it, or why it does not compare. */
static char *
describe_against (const AwRunRecord *previous,
                  const AwRunRecord *record)
{
  g_autofree char *reason = NULL;
  g_autofree char *how = NULL;
  g_autofree char *differences = NULL;
  double ratio;

  if (!aw_run_record_compare (previous, record, &ratio, &reason))
    /* Translators: why a run in the history does not compare with the one before it */
    return g_strdup_printf (_("not compared with the run before: %s"), reason);
  differences = aw_run_record_describe_differences (previous, record);
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

/* A line of a row: the title, or a caption on up to @lines lines (whole on hover). */
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

/* Space on a focused row ticks it: the tick box itself is no tab stop. */
static gboolean
toggle_checked (GtkWidget *row,
                GVariant  *args,
                gpointer   user_data)
{
  AwHistoryItem *item = user_data;

  aw_history_item_set_checked (item, !item->checked);
  return TRUE;
}

static void
add_tick_keys (GtkWidget     *row,
               AwHistoryItem *item)
{
  static const guint keys[] = { GDK_KEY_space, GDK_KEY_KP_Space };
  GtkEventController *controller = gtk_shortcut_controller_new ();

  /* On the row, so that the list box's own Space (activate the row) never sees it. */
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_shortcut_controller_add_shortcut (
      GTK_SHORTCUT_CONTROLLER (controller),
      gtk_shortcut_new (gtk_keyval_trigger_new (keys[i], 0),
                        gtk_callback_action_new (toggle_checked, g_object_ref (item),
                                                 g_object_unref)));
  gtk_widget_add_controller (row, controller);
}

static void
update_row_checked (AwHistoryItem *item,
                    GParamSpec    *pspec,
                    GtkWidget     *row)
{
  gtk_accessible_update_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_CHECKED,
                               item->checked ? GTK_ACCESSIBLE_TRISTATE_TRUE
                                             : GTK_ACCESSIBLE_TRISTATE_FALSE, -1);
}

static GtkWidget *
create_row (gpointer item_pointer,
            gpointer user_data)
{
  AwHistoryItem *item = item_pointer;
  const AwRunRecord *record = item->record;
  guint n_cities = g_strv_length (record->cities);
  g_autofree char *mode = aw_run_record_format_mode (record);
  g_autofree char *cities = NULL;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *time = g_date_time_format (record->started_at, "%H:%M:%S");
  g_autofree char *settings = aw_run_record_format_settings (record);
  g_autofree char *setup = NULL;
  g_autofree char *check_name = NULL;
  char *figures[4];
  GtkWidget *row, *box, *texts, *check;

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
  aw_run_figures_format (record, figures);
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
  check = gtk_check_button_new ();
  gtk_widget_set_tooltip_text (check, _("Tick to compare"));
  /* Translators: what a screen reader says for a history row's tick box; %s is the run,
   * "Concurrent · 3 cities" */
  check_name = g_strdup_printf (_("Compare %s"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, check_name, -1);
  gtk_widget_set_valign (check, GTK_ALIGN_START);
  /* Clicked with the mouse; by keyboard, Space on the row. */
  gtk_widget_set_focusable (check, FALSE);
  g_object_bind_property (item, "checked", check, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  gtk_box_append (GTK_BOX (box), check);

  texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  /* The settings on one line (whole on hover): the comparison with the run before matters more. */
  gtk_box_append (GTK_BOX (texts), new_row_label (title, 0));
  gtk_box_append (GTK_BOX (texts), new_row_label (subtitle, 2));
  gtk_box_append (GTK_BOX (texts), new_row_label (setup, 1));
  if (item->against != NULL)
    gtk_box_append (GTK_BOX (texts), new_row_label (item->against, 2));
  gtk_box_append (GTK_BOX (box), texts);

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle, -1);
  add_tick_keys (row, item);
  /* A screen reader says whether the focused row is ticked. */
  update_row_checked (item, NULL, row);
  g_signal_connect_object (item, "notify::checked", G_CALLBACK (update_row_checked), row, 0);
  return row;
}

static void
on_row_activated (AwHistoryList *self,
                  GtkListBoxRow *row)
{
  g_autoptr(AwHistoryItem) item =
    g_list_model_get_item (G_LIST_MODEL (self->store), gtk_list_box_row_get_index (row));

  if (item != NULL)
    g_signal_emit (self, signals[ITEM_ACTIVATED], 0, item);
}

static void
on_item_checked (AwHistoryList *self)
{
  g_signal_emit (self, signals[CHECKS_CHANGED], 0);
}

guint
aw_history_list_get_n_runs (AwHistoryList *self)
{
  g_return_val_if_fail (AW_IS_HISTORY_LIST (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->store));
}

/* Borrowed: the store holds it. */
AwHistoryItem *
aw_history_list_get_item (AwHistoryList *self,
                          guint          index)
{
  guint n;
  g_autoptr(AwHistoryItem) item = NULL;

  g_return_val_if_fail (AW_IS_HISTORY_LIST (self), NULL);

  n = aw_history_list_get_n_runs (self);
  g_return_val_if_fail (index < n, NULL);
  item = g_list_model_get_item (G_LIST_MODEL (self->store), n - 1 - index);
  return item;
}

int
aw_history_list_index_of (AwHistoryList *self,
                          AwHistoryItem *item)
{
  guint position;

  g_return_val_if_fail (AW_IS_HISTORY_LIST (self), -1);

  if (item == NULL || !g_list_store_find (self->store, item, &position))
    return -1;
  return aw_history_list_get_n_runs (self) - 1 - position;
}

AwHistoryItem *
aw_history_list_append (AwHistoryList *self,
                        AwRunRecord   *record,
                        AwFetchRun    *run)
{
  g_autoptr(AwHistoryItem) item = NULL;
  guint n;

  g_return_val_if_fail (AW_IS_HISTORY_LIST (self), NULL);
  g_return_val_if_fail (record != NULL, NULL);

  item = g_object_new (AW_TYPE_HISTORY_ITEM, NULL);
  item->record = record;
  item->run = run ? g_object_ref (run) : NULL;
  n = aw_history_list_get_n_runs (self);
  if (n > 0)
    item->against = describe_against (aw_history_list_get_item (self, n - 1)->record, record);
  g_signal_connect_object (item, "notify::checked", G_CALLBACK (on_item_checked), self,
                           G_CONNECT_SWAPPED);
  /* The newest on top. */
  g_list_store_insert (self->store, 0, item);
  n++;
  if (n > AW_HISTORY_MAX_RUNS)
    g_list_store_splice (self->store, AW_HISTORY_MAX_RUNS, n - AW_HISTORY_MAX_RUNS, NULL, 0);
  return item;
}

void
aw_history_list_highlight (AwHistoryList *self,
                           AwHistoryItem *a,
                           AwHistoryItem *b)
{
  AwHistoryItem *items[] = { a, b };
  guint n;

  g_return_if_fail (AW_IS_HISTORY_LIST (self));

  n = aw_history_list_get_n_runs (self);
  gtk_list_box_unselect_all (self->list_box);
  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      int index = aw_history_list_index_of (self, items[i]);

      if (index >= 0)
        gtk_list_box_select_row (self->list_box,
                                 gtk_list_box_get_row_at_index (self->list_box, n - 1 - index));
    }
}

int
aw_history_list_get_highlighted (AwHistoryList *self,
                                 guint          nth)
{
  g_autoptr(GList) rows = NULL;
  GtkListBoxRow *row;

  g_return_val_if_fail (AW_IS_HISTORY_LIST (self), -1);

  rows = gtk_list_box_get_selected_rows (self->list_box);
  row = g_list_nth_data (rows, nth);
  if (row == NULL)
    return -1;
  return aw_history_list_get_n_runs (self) - 1 - gtk_list_box_row_get_index (row);
}

guint
aw_history_list_get_checked (AwHistoryList *self,
                             guint          picked[2])
{
  guint n = 0;

  g_return_val_if_fail (AW_IS_HISTORY_LIST (self), 0);

  for (guint i = 0; i < aw_history_list_get_n_runs (self); i++)
    if (aw_history_list_get_item (self, i)->checked)
      {
        if (n < 2)
          picked[n] = i;
        n++;
      }
  return n;
}

GListModel *
aw_history_list_get_model (AwHistoryList *self)
{
  g_return_val_if_fail (AW_IS_HISTORY_LIST (self), NULL);
  return G_LIST_MODEL (self->store);
}

/* Tab leaves the list from any row: it is one tab stop. */
static gboolean
on_tab (GtkWidget *widget,
        GVariant  *args,
        gpointer   user_data)
{
  AwHistoryList *self = AW_HISTORY_LIST (widget);

  return aw_accessible_leave_list (GTK_WIDGET (self->list_box), GPOINTER_TO_INT (user_data));
}

static void
aw_history_list_dispose (GObject *object)
{
  AwHistoryList *self = (AwHistoryList *)object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), AW_TYPE_HISTORY_LIST);
  /* The template's unnamed children too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (aw_history_list_parent_class)->dispose (object);
}

static void
aw_history_list_finalize (GObject *object)
{
  AwHistoryList *self = (AwHistoryList *)object;

  g_clear_object (&self->store);
  G_OBJECT_CLASS (aw_history_list_parent_class)->finalize (object);
}

static void
aw_history_list_class_init (AwHistoryListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aw_history_list_dispose;
  object_class->finalize = aw_history_list_finalize;

  /* A row activated: the window shows its run. */
  signals[ITEM_ACTIVATED] = g_signal_new ("item-activated", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, AW_TYPE_HISTORY_ITEM);
  /* A run ticked or unticked to compare. */
  signals[CHECKS_CHANGED] = g_signal_new ("checks-changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/asyncweather/AsyncWeather/aw-history-list.ui");
  gtk_widget_class_bind_template_child (widget_class, AwHistoryList, list_box);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  {
    struct { guint key; GdkModifierType modifiers; GtkDirectionType direction; } tabs[] = {
      { GDK_KEY_Tab, 0, GTK_DIR_TAB_FORWARD },
      { GDK_KEY_KP_Tab, 0, GTK_DIR_TAB_FORWARD },
      { GDK_KEY_ISO_Left_Tab, GDK_SHIFT_MASK, GTK_DIR_TAB_BACKWARD },
      { GDK_KEY_Tab, GDK_SHIFT_MASK, GTK_DIR_TAB_BACKWARD },
    };

    for (guint i = 0; i < G_N_ELEMENTS (tabs); i++)
      gtk_widget_class_add_shortcut (
        widget_class,
        gtk_shortcut_new (gtk_keyval_trigger_new (tabs[i].key, tabs[i].modifiers),
                          gtk_callback_action_new (on_tab, GINT_TO_POINTER (tabs[i].direction),
                                                   NULL)));
  }
  gtk_widget_class_set_css_name (widget_class, "historylist");
}

static void
aw_history_list_init (AwHistoryList *self)
{
  self->store = g_list_store_new (AW_TYPE_HISTORY_ITEM);
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->store), create_row, self, NULL);
}
