from django.contrib import admin

from venues.models import Entrance, Hall, Venue


class HallInline(admin.TabularInline):
    model = Hall
    extra = 0
    prepopulated_fields = {"slug": ("name",)}


class EntranceInline(admin.TabularInline):
    model = Entrance
    extra = 0
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "town", "has_step_free_access", "wheelchair_spaces"]
    list_filter = ["town", "has_step_free_access"]
    search_fields = ["name", "street_address"]
    prepopulated_fields = {"slug": ("name",)}
    inlines = [HallInline, EntranceInline]
    filter_horizontal = ["staff"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "website"]}),
        ("Dansk", {"fields": ["description_da", "image_alt_da", "accessibility_notes_da"]}),
        ("English", {"fields": ["description_en", "image_alt_en", "accessibility_notes_en"]}),
        ("Svenska", {"fields": ["description_sv", "image_alt_sv", "accessibility_notes_sv"]}),
        ("Deutsch", {"fields": ["description_de", "image_alt_de", "accessibility_notes_de"]}),
        (None, {"fields": ["street_address", "postcode", "town", "latitude", "longitude", "image"]}),
        (
            None,
            {
                "fields": [
                    "has_step_free_access",
                    "wheelchair_spaces",
                    "has_hearing_loop",
                    "has_accessible_toilet",
                ]
            },
        ),
        (None, {"fields": ["staff"]}),
    ]
