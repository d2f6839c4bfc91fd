"""A new editor enters an article, from its pasted text to published facts, in at most
four form submissions (a Chinese one, and an English one naming a market the record
lacks, added with its facts); the public then reads the facts, each quote verified and
marked in the source's text. The intake's forms fit a laptop's screen."""

import re

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.db.models import Q

from markets.models import Market, MarketFigure, ModeEvent, Source, Verification
from tests.browser.conftest import FITS, SIDEWAYS
from tests.factories import MarketFactory, RegionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTICLE = (
    "TikTok Shop全托管模式在日韩开启内测\n"
    "2025年3月，TikTok Shop在日本和韩国开启全托管模式内测，商家只需供货。\n"
    "另据报道，巴西站的全托管模式已于2025年8月底关停。\n"
    "平台称，日本市场的月活跃用户已超5000万。"
)
SHORTER = "TikTok Shop在日本和韩国开启全托管模式内测"
PASSWORD = "not-a-real-one"

ENGLISH_ARTICLE = (
    "TikTok Shop heads for Ireland\n"
    "TikTok Shop will launch in Ireland in October, the company said, bringing its "
    "marketplace to Irish shoppers for the first time.\n"
    "The fully managed programme, in which TikTok stores, ships and returns goods "
    "for sellers, entered a beta in Japan and South Korea this spring.\n"
    "More than 15,000 sellers have joined TikTok Shop in the UK since its launch."
)
LAUNCH = "TikTok Shop will launch in Ireland in October"
BETA = (
    "The fully managed programme, in which TikTok stores, ships and returns goods "
    "for sellers, entered a beta in Japan and South Korea this spring."
)
SELLERS = "More than 15,000 sellers have joined TikTok Shop in the UK since its launch."

#: A web address as articles end with one: no space, and no break the browser finds.
ADDRESS = "https://www.retailtradeweekly.example/2024090712345678.html"
#: A laptop's screen, the analysts' narrowest desk.
LAPTOP = {"width": 1366, "height": 900}

#: Selects ``passage`` in the citing panel's text, as a mouse would, and lets go.
SELECT = """passage => {
  const body = document.querySelector(".source-text-body");
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  const nodes = [];
  let text = "";
  while (walker.nextNode()) {
    nodes.push([walker.currentNode, text.length]);
    text += walker.currentNode.data;
  }
  const start = text.indexOf(passage);
  const end = start + passage.length;
  const at = offset => {
    for (let i = nodes.length - 1; i >= 0; i--) {
      if (nodes[i][1] <= offset) return [nodes[i][0], offset - nodes[i][1]];
    }
  };
  const range = document.createRange();
  range.setStart(...at(start));
  range.setEnd(...at(end));
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  body.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
}"""


def sign_in_a_new_editor(page) -> object:
    """A new analyst in the Editor group (as ``create_analyst --editor`` makes one),
    signed in on ``page``, with Japan, South Korea and Brazil in the record. Tables
    are flushed between these tests, the groups with them."""
    editors, _ = Group.objects.get_or_create(name="Editor")
    editors.permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=("markets", "sellers")
        ).filter(
            Q(codename__startswith="add_")
            | Q(codename__startswith="change_")
            | Q(codename__startswith="view_")
            | Q(codename__startswith="publish_")
        )
    )
    user = User.objects.create_user("new-editor", password=PASSWORD, is_staff=True)
    user.groups.add(editors)
    for code, name_zh in (("JP", "日本"), ("KR", "韩国"), ("BR", "巴西")):
        MarketFactory(code=code, name_zh=name_zh)
    page.goto("/admin/login/")
    page.fill("#id_username", "new-editor")
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/admin/")
    return page


def counting_submissions(page) -> list[str]:
    """The addresses of the forms ``page`` submits from now on, as they are sent."""
    submissions: list[str] = []
    page.on(
        "request",
        lambda request: (
            submissions.append(request.url)
            if request.method == "POST" and request.is_navigation_request()
            else None
        ),
    )
    return submissions


def shorten_the_quote(page, passage: str, reason: str) -> None:
    """On an event's form with its source's text beside it: select ``passage`` in the
    text, as a mouse would, and save the first quote so shortened, with a reason."""
    page.evaluate(SELECT, passage)
    assert page.input_value('textarea[name="evidence-0-quote"]') == passage
    assert page.locator(".source-text-panel mark").inner_text() == passage
    page.fill("#id_change_reason", reason)
    page.locator('input[name="_save"]').click()
    page.wait_for_url(re.compile(r"/admin/markets/modeevent/$"))


def publish_from_the_preview(page, preview: str, reason: str) -> None:
    """Open the preview at ``preview`` and publish all it lists, with a reason."""
    page.goto(preview)
    page.fill("#id_change_reason", reason)
    page.locator('form.preview-apply input[type="submit"]').click()
    page.wait_for_url(re.compile(r"/admin/markets/modeevent/$"))


@pytest.fixture
def editor_signed_in(page) -> object:
    """A new editor signed in at a laptop's width, in Chinese."""
    return sign_in_a_new_editor(page)


def test_an_editor_enters_a_three_fact_article_in_four_submissions(
    editor_signed_in, browser, live_server
):
    page = editor_signed_in
    submissions = counting_submissions(page)

    # 1. The source, its text pasted, saved once.
    page.goto("/admin/markets/source/add/")
    page.fill("#id_title", "全托管模式在日韩开启内测")
    page.fill("#id_publisher", "小川电商")
    page.fill("#id_published_on", "2025-09-10")
    page.select_option("#id_published_precision", "day")
    page.select_option("#id_publication", "published")
    page.fill("#id_archive_text", ARTICLE)
    page.locator('input[name="_save"]').click()
    page.wait_for_url(re.compile(r"/admin/markets/source/$"))
    assert len(submissions) == 1

    # 2. Its suggestions: three ticked, the figure's metric named, submitted once.
    page.locator("ul.messagelist a[href$='/suggestions/']").click()
    candidates = page.locator("fieldset.intake-candidate")
    assert candidates.count() == 3
    for index in range(3):
        candidates.nth(index).locator('input[name$="-accept"]').check()
    figure = page.locator("fieldset.intake-figure")
    figure.locator('input[name$="-metric_zh"]').fill("月活跃用户")
    figure.locator('input[name$="-metric_en"]').fill("Monthly active users")
    page.locator('input[type="submit"]').click()
    page.wait_for_url(re.compile(r"/admin/markets/modeevent/preview/\?id="))
    preview = page.url
    assert len(submissions) == 2
    assert ModeEvent.objects.count() == 2 and MarketFigure.objects.count() == 1

    # 3. The beta's quote shortened by selecting the passage in the text beside it.
    page.locator("#content-main li a", has_text="日本").first.click()
    marked = page.locator(".source-text-panel mark")
    marked.wait_for(state="visible")
    assert marked.inner_text().startswith("2025年3月")
    shorten_the_quote(page, SHORTER, "引文缩短至事实本身")
    assert len(submissions) == 3

    # 4. Previewed and published with a reason, once.
    publish_from_the_preview(page, preview, "已与原文核对")
    assert len(submissions) == 4
    assert MarketFigure.objects.get().publication == "published"

    # What a second, separate visitor reads.
    source = Source.objects.get(title="全托管模式在日韩开启内测")
    beta = ModeEvent.objects.get(kind="beta_launch")
    quotes = list(beta.evidence.all())
    assert [(q.quote, q.verification) for q in quotes] == [
        (SHORTER, Verification.VERIFIED)
    ]
    reader = browser.new_context(base_url=live_server.url, locale="zh-CN").new_page()
    reader.goto("/markets/JP/?as_of=2025-03-15")
    card = reader.locator('.status-card[data-mode="fully_managed"]')
    assert card.get_attribute("data-status") == "beta"
    reader.goto(beta.get_absolute_url())
    assert reader.locator(".evidence__quote").first.inner_text() == SHORTER
    assert reader.locator(".evidence__open").count() == 1
    reader.goto("/markets/JP/")
    assert "50,000,000" in reader.locator("#figures-heading + *").inner_text()
    reader.goto(f"/sources/{source.slug}/text/")
    marked = reader.locator(".archived-text mark").all_inner_texts()
    assert SHORTER in marked
    assert "另据报道，巴西站的全托管模式已于2025年8月底关停。" in marked
    assert "平台称，日本市场的月活跃用户已超5000万。" in marked
    reader.context.close()


def test_an_editor_enters_an_english_article_naming_a_new_market_in_four_submissions(
    open_page,
):
    """Ireland is not in the record: it is added from the suggestions page with the
    facts naming it, in the same submission, and published with them. The editor
    reads the admin in English on a laptop, and no page of the walk scrolls
    sideways."""
    page = sign_in_a_new_editor(open_page(locale="en-US", **LAPTOP))
    europe = RegionFactory(code="europe", name_en="Europe", name_zh="欧洲")
    MarketFactory(code="GB", name_en="United Kingdom", name_zh="英国", region=europe)
    submissions = counting_submissions(page)

    # 1. The source, its text pasted, saved once; its language read from the text.
    page.goto("/admin/markets/source/add/")
    page.fill("#id_title", "TikTok Shop heads for Ireland")
    page.fill("#id_publisher", "Retail Trade Weekly")
    page.fill("#id_published_on", "2024-09-07")
    page.select_option("#id_published_precision", "day")
    page.select_option("#id_publication", "published")
    page.fill("#id_archive_text", ENGLISH_ARTICLE)
    assert page.evaluate(SIDEWAYS) == FITS
    page.locator('input[name="_save"]').click()
    page.wait_for_url(re.compile(r"/admin/markets/source/$"))
    assert len(submissions) == 1

    # 2. Ireland added to the record, and the three facts ticked, in one submission.
    page.locator("ul.messagelist a[href$='/suggestions/']").click()
    ireland = page.locator("fieldset#market-IE")
    ireland.locator('input[name$="-accept"]').check()
    ireland.locator('select[name$="-region"]').select_option("europe")
    candidates = page.locator("fieldset.intake-candidate:not(.intake-market)")
    assert candidates.count() == 3
    for index in range(3):
        candidates.nth(index).locator('input[name$="-accept"]').check()
    assert page.evaluate(SIDEWAYS) == FITS
    page.locator('input[type="submit"]').click()
    page.wait_for_url(re.compile(r"/admin/markets/modeevent/preview/\?"))
    preview = page.url
    assert len(submissions) == 2
    ireland = Market.objects.get(code="IE")
    assert (ireland.name_en, ireland.publication) == ("Ireland", "draft")
    assert ModeEvent.objects.count() == 2 and MarketFigure.objects.count() == 1

    # 3. The launch's quote shortened to the fact, selected in the text beside it.
    launch = ModeEvent.objects.get(markets__code="IE")
    page.locator(f"#content-main li a[href$='/modeevent/{launch.pk}/change/']").click()
    page.locator(".source-text-panel").wait_for(state="visible")
    assert page.evaluate(SIDEWAYS) == FITS
    shorten_the_quote(page, LAUNCH, "Quote cut to the fact itself")
    assert len(submissions) == 3

    # 4. Previewed and published with a reason, once: Ireland, both events and the
    # figure together.
    publish_from_the_preview(page, preview, "Checked against the article")
    assert len(submissions) == 4
    assert Market.objects.get(code="IE").publication == "published"
    assert set(ModeEvent.objects.values_list("publication", flat=True)) == {"published"}
    assert MarketFigure.objects.get().publication == "published"

    # What a second, separate visitor reads, in English (a context of its own, any
    # console error failing the test).
    source = Source.objects.get(title="TikTok Shop heads for Ireland")
    assert source.language.startswith("en")
    assert [(q.quote, q.verification) for q in launch.evidence.all()] == [
        (LAUNCH, Verification.VERIFIED)
    ]
    reader = open_page(locale="en-US")
    reader.goto("/markets/JP/?as_of=2024-04-15")
    card = reader.locator('.status-card[data-mode="fully_managed"]')
    assert card.get_attribute("data-status") == "beta"
    reader.goto("/markets/IE/")
    assert "Ireland" in reader.locator("h1").inner_text()
    assert reader.locator(".event-list li").count() == 1
    reader.goto(launch.get_absolute_url())
    assert reader.locator(".evidence__quote").first.inner_text() == LAUNCH
    assert reader.locator(".evidence__open").count() == 1
    reader.goto("/markets/GB/")
    assert "15,000" in reader.locator("#figures-heading + *").inner_text()
    reader.goto(f"/sources/{source.slug}/text/")
    marked = reader.locator(".archived-text mark").all_inner_texts()
    assert LAUNCH in marked and BETA in marked and SELLERS in marked


def test_on_a_narrow_screen_the_text_stands_above_the_quotes(editor_signed_in):
    """Below 1100 px the panel is not beside the form but just above the evidence
    rows, and still marks the row's quote."""
    from markets.archive import source_archive
    from markets.models import ArchiveKind, EventEvidence
    from tests.factories import ModeEventFactory, SourceFactory

    page = editor_signed_in
    source = SourceFactory()
    source_archive(source=source, text=ARTICLE, kind=ArchiveKind.PASTED)
    event = ModeEventFactory()
    EventEvidence.objects.create(fact=event, source=source, quote=SHORTER)
    page.set_viewport_size({"width": 800, "height": 900})
    page.goto(f"/admin/markets/modeevent/{event.pk}/change/")
    panel = page.locator(".source-text-panel")
    panel.wait_for(state="visible")
    assert panel.locator("mark").inner_text() == SHORTER
    assert page.evaluate(
        "() => document.querySelector('.source-text-panel').nextElementSibling"
        ".classList.contains('inline-group')"
    )


def test_a_source_without_text_says_so_beside_the_form(editor_signed_in):
    """Its quotes are unverified: the panel says why, and the browser logs no error
    (the page fixture fails the test on any console error)."""
    from markets.models import EventEvidence
    from tests.factories import ModeEventFactory, SourceFactory

    page = editor_signed_in
    event = ModeEventFactory()
    EventEvidence.objects.create(fact=event, source=SourceFactory(), quote="没有存档")
    page.goto(f"/admin/markets/modeevent/{event.pk}/change/")
    page.locator('textarea[name="evidence-0-quote"]').focus()
    status = page.locator(".source-text-status")
    status.wait_for(state="visible")
    assert status.inner_text() != ""
    assert page.locator(".source-text-panel mark").count() == 0


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_the_intake_forms_fit_a_laptop_without_scrolling_sideways(open_page, locale):
    """At 1366 × 900 the source's form, its suggestions (a market to add among the
    facts) and an event's form with the citing panel beside its quotes scroll
    sideways nowhere, page or box. In English the archived copies' table was 859 px
    in its 797 px field, an upload's file name held it 19 px over still, and a web
    address in the text ran 22 px past the citing panel."""
    from markets.archive import source_archive
    from markets.models import ArchiveKind, EventEvidence
    from tests.factories import ModeEventFactory, SourceFactory

    page = sign_in_a_new_editor(open_page(locale=locale, **LAPTOP))
    source = SourceFactory(language="en")
    source_archive(
        source=source,
        text=f"{ENGLISH_ARTICLE}\n{ADDRESS}",
        kind=ArchiveKind.TEXT,
        file_name="000_742b421f628cddee_tiktok_shop_ireland.txt",
    )
    event = ModeEventFactory()
    EventEvidence.objects.create(fact=event, source=source, quote=BETA)

    page.goto("/admin/markets/source/add/")
    assert page.evaluate(SIDEWAYS) == FITS
    page.goto(f"/admin/markets/source/{source.pk}/change/")
    assert page.locator(".field-archived_copies td.file-name").count() == 1
    assert page.evaluate(SIDEWAYS) == FITS
    page.goto(f"/admin/markets/source/{source.pk}/suggestions/")
    assert page.locator("fieldset#market-IE").count() == 1
    assert page.evaluate(SIDEWAYS) == FITS
    page.goto(f"/admin/markets/modeevent/{event.pk}/change/")
    page.locator(".source-text-panel mark").wait_for(state="visible")
    assert page.evaluate(SIDEWAYS) == FITS
