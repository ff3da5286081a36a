/* aw-city-row.c: one row of the city list: the city, its last temperature and condition
 * icon, when and how fast, or its error; buttons that move and remove it (by the list's
 * "cities." actions, so that the keyboard reaches the same code on the focused row)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "aw-city-row.h"

struct _AwCityRow
{
  GtkWidget  parent_instance;

  /* template widgets */
  GtkImage  *icon;
  GtkLabel  *name;
  GtkLabel  *temperature;
  GtkLabel  *info;
  GtkButton *up;
  GtkButton *down;
  GtkButton *remove;

  /* owned */
  char      *city;
};

G_DEFINE_FINAL_TYPE (AwCityRow, aw_city_row, GTK_TYPE_WIDGET)

AwCityResult *
aw_city_result_new_from_task (AwTask *task)
{
  AwCityResult *result = g_new0 (AwCityResult, 1);

  g_return_val_if_fail (AW_IS_TASK (task), NULL);

  if (aw_task_get_weather (task) != NULL)
    result->weather = aw_weather_copy (aw_task_get_weather (task));
  else
    result->error = g_strdup (aw_task_get_error (task)->message);
  result->fetched_at = g_date_time_new_now_local ();
  result->active_us = aw_task_get_active_us (task);
  return result;
}

void
aw_city_result_free (AwCityResult *result)
{
  g_clear_pointer (&result->weather, aw_weather_free);
  g_clear_pointer (&result->fetched_at, g_date_time_unref);
  g_free (result->error);
  g_free (result);
}

static char *
format_seconds (gint64 us)
{
  if (us < G_USEC_PER_SEC)
    return g_strdup_printf (_("%.0f ms"), us / 1000.0);
  return g_strdup_printf (_("%.2f s"), us / (double)G_USEC_PER_SEC);
}

static gboolean
on_query_row_tooltip (GtkWidget  *widget,
                      int         x,
                      int         y,
                      gboolean    keyboard_mode,
                      GtkTooltip *tooltip)
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
aw_city_row_dispose (GObject *object)
{
  AwCityRow *self = (AwCityRow *)object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), AW_TYPE_CITY_ROW);
  /* The template's unnamed children too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (aw_city_row_parent_class)->dispose (object);
}

static void
aw_city_row_finalize (GObject *object)
{
  AwCityRow *self = (AwCityRow *)object;

  g_clear_pointer (&self->city, g_free);
  G_OBJECT_CLASS (aw_city_row_parent_class)->finalize (object);
}

static void
aw_city_row_class_init (AwCityRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aw_city_row_dispose;
  object_class->finalize = aw_city_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/asyncweather/AsyncWeather/aw-city-row.ui");
  gtk_widget_class_bind_template_child (widget_class, AwCityRow, icon);
  gtk_widget_class_bind_template_child (widget_class, AwCityRow, name);
  gtk_widget_class_bind_template_child (widget_class, AwCityRow, temperature);
  gtk_widget_class_bind_template_child (widget_class, AwCityRow, info);
  gtk_widget_class_bind_template_child (widget_class, AwCityRow, up);
  gtk_widget_class_bind_template_child (widget_class, AwCityRow, down);
  gtk_widget_class_bind_template_child (widget_class, AwCityRow, remove);
  gtk_widget_class_bind_template_callback (widget_class, on_query_row_tooltip);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "cityrow");
}

static void
aw_city_row_init (AwCityRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                              10);
  set_row_tooltip (GTK_WIDGET (self->up), _("Move up"));
  set_row_tooltip (GTK_WIDGET (self->down), _("Move down"));
}

GtkWidget *
aw_city_row_new (void)
{
  return g_object_new (AW_TYPE_CITY_ROW, NULL);
}

void
aw_city_row_update (AwCityRow          *self,
                    const char         *city,
                    const AwCityResult *result,
                    guint               position,
                    guint               n_cities)
{
  g_autofree char *detail = NULL;
  g_autofree char *temperature = NULL;
  g_autofree char *remove_tooltip = NULL;
  gboolean failed = result != NULL && result->error != NULL;
  GVariant *target;

  g_return_if_fail (AW_IS_CITY_ROW (self));
  g_return_if_fail (city != NULL);

  if (g_strcmp0 (self->city, city) != 0)
    {
      g_free (self->city);
      self->city = g_strdup (city);
    }

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
      /* A task of the sleep workload has no temperature to show. */
      if (!aw_weather_is_sleep (result->weather))
        temperature = g_strdup_printf (_("%.0f °C"), result->weather->temperature_c);
    }

  gtk_image_set_from_icon_name (self->icon,
                                result && result->weather ? result->weather->icon_name
                                : result ? "dialog-error-symbolic"
                                : "content-loading-symbolic");
  gtk_label_set_text (self->name, city);
  gtk_label_set_text (self->temperature, temperature);
  gtk_widget_set_visible (GTK_WIDGET (self->temperature), temperature != NULL);
  /* An error wraps, whole (a cut one says nothing); a result is two lines already, each
   * ellipsized. Measuring wrapped text for the 200 rows a list view keeps made the frame that
   * shows the results of 1000 cities take 80 ms. */
  gtk_label_set_wrap (self->info, failed);
  gtk_label_set_lines (self->info, failed ? -1 : 2);
  gtk_label_set_ellipsize (self->info, failed ? PANGO_ELLIPSIZE_NONE : PANGO_ELLIPSIZE_END);
  gtk_label_set_text (self->info, detail);
  set_row_tooltip (GTK_WIDGET (self->info), detail);
  gtk_widget_set_css_classes (GTK_WIDGET (self->icon),
                              (const char *[]) { failed ? "error" : NULL, NULL });
  gtk_widget_set_css_classes (GTK_WIDGET (self->info),
                              (const char *[]) { "caption", failed ? "error" : "dim-label", NULL });

  target = g_variant_ref_sink (g_variant_new_string (city));
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->up), target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->down), target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->remove), target);
  g_variant_unref (target);
  /* Named once the target is set: an action without its parameter is refused. */
  if (gtk_actionable_get_action_name (GTK_ACTIONABLE (self->remove)) == NULL)
    {
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->up), "cities.move-up");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->down), "cities.move-down");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->remove), "cities.remove");
    }
  /* The list's actions take any city; the ends of the list are the row's to say. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->up), position > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->down), position + 1 < n_cities);
  remove_tooltip = g_strdup_printf (_("Remove %s"), city);
  set_row_tooltip (GTK_WIDGET (self->remove), remove_tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, city,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, detail,
                                  -1);
}

const char *
aw_city_row_get_city (AwCityRow *self)
{
  g_return_val_if_fail (AW_IS_CITY_ROW (self), NULL);
  return self->city;
}
