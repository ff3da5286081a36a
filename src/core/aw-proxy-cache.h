/* aw-proxy-cache.h: the system proxy settings, asked once per host for a run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define AW_TYPE_PROXY_CACHE (aw_proxy_cache_get_type ())
G_DECLARE_FINAL_TYPE (AwProxyCache, aw_proxy_cache, AW, PROXY_CACHE, GObject)

AwProxyCache *aw_proxy_cache_new (void);

G_END_DECLS
