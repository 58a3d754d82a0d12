using System.Text.Json;
using MeiLing.Grains;
using MeiLing.Grains.Disclosures;
using MeiLing.Grains.Legal;
using MeiLing.Grains.Users;
using MeiLing.Tests.Api;
using MeiLing.Tests.DataRights;
using MeiLing.Tests.Users;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace MeiLing.Tests.Legal;

/// <summary>P3.3: a user's data goes to an authority only on a legal demand backed by a document, and that is on the record.</summary>
[Collection(PlatformCollection.Name)]
public sealed class LegalDisclosureTests(PlatformFixture platform)
{
    [Fact]
    public async Task P3_3_a_legal_demand_is_recorded_in_the_users_disclosures_with_its_document_reference_and_the_user_is_told()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);

        var response = await platform.Operator().PostAsJsonAsync($"/v1/users/{user.UserId}/legal-disclosures", Demand("（2026）京01刑调字第17号", notifyUser: true));
        var disclosures = await client.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}/disclosures");
        var notices = await client.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}/notifications");

        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var disclosure = Assert.Single(disclosures.GetProperty("items").EnumerateArray());
        Assert.Equal("legal-authority", disclosure.GetProperty("recipientKind").GetString());
        Assert.Equal("Beijing Public Security Bureau", disclosure.GetProperty("recipient").GetString());
        Assert.Equal("legal-obligation", disclosure.GetProperty("basis").GetString());
        Assert.Equal("（2026）京01刑调字第17号", disclosure.GetProperty("documentReference").GetString());
        Assert.Contains(notices.GetProperty("items").EnumerateArray(), n =>
            n.GetProperty("kind").GetString() == "legal-disclosure" && n.GetProperty("text").GetString()!.Contains("（2026）京01刑调字第17号"));
        Assert.Equal(1L, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_log WHERE subject_user_id = $1 AND action = 'legal-disclosure'", user.UserId));
    }

    [Fact]
    public async Task P3_3_a_retried_legal_demand_is_recorded_and_handed_over_once()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var demand = Demand("（2026）沪02刑调字第9号", notifyUser: true);

        var first = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => platform.Operator().PostAsJsonAsync($"/v1/users/{user.UserId}/legal-disclosures", demand)));
        var retried = await platform.Operator().PostAsJsonAsync($"/v1/users/{user.UserId}/legal-disclosures", demand);
        var disclosures = await client.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}/disclosures");
        var notices = await client.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}/notifications");

        Assert.All(first.Append(retried), response => Assert.Equal(HttpStatusCode.Created, response.StatusCode));
        var ids = await Task.WhenAll(first.Append(retried).Select(async response => (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("disclosureId").GetString()));
        Assert.Single(ids.Distinct());
        Assert.Single(disclosures.GetProperty("items").EnumerateArray());
        Assert.Single(notices.GetProperty("items").EnumerateArray(), n => n.GetProperty("kind").GetString() == "legal-disclosure");
        Assert.Equal(1L, await platform.Database.ScalarAsync<long>("SELECT count(*) FROM legal_disclosures WHERE user_id = $1", user.UserId));
        Assert.Equal(1L, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_log WHERE subject_user_id = $1 AND action = 'legal-disclosure'", user.UserId));
    }

    // P3.3: the same document again with more fields and the user no longer told answered 201 and recorded nothing: no
    // ledger row, no audit entry, no review-list row. A dishonest operator could "record" broad hand-overs that way.
    [Fact]
    public async Task P3_3_the_same_document_again_for_other_fields_or_without_telling_the_user_is_409_not_a_silent_201()
    {
        var user = await platform.RegisterUserAsync();
        var path = $"/v1/users/{user.UserId}/legal-disclosures";
        var first = await platform.Operator().PostAsJsonAsync(path, Demand("（2026）粤03刑调字第5号", notifyUser: true));

        var widened = await platform.Operator().PostAsJsonAsync(path, new
        {
            authority = "Beijing Public Security Bureau",
            documentType = "investigation-letter",
            documentReference = "（2026）粤03刑调字第5号",
            fields = new[] { "nickname", "phone", "orders", "locations" },
            notifyUser = false,
            withheldUntil = platform.WithheldFor90Days(),
        });
        var withALineBreak = await platform.Operator().PostAsJsonAsync(path, new
        {
            authority = "Beijing Public Security Bureau\n（2026）",
            documentType = "investigation-letter",
            documentReference = "粤03刑调字第5号",
            fields = new[] { "nickname" },
            notifyUser = true,
        });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.EndsWith("/legal-disclosure-exists", (await widened.AssertProblemAsync(HttpStatusCode.Conflict)).TypeOf(), StringComparison.Ordinal);
        await withALineBreak.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(1L, await platform.Database.ScalarAsync<long>("SELECT count(*) FROM legal_disclosures WHERE user_id = $1", user.UserId));
    }

    [Fact]
    public async Task P3_3_a_legal_demand_the_user_may_not_be_told_of_is_not_notified_and_is_listed_for_review()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);

        await platform.RecordAndApproveAsync(user.UserId, Demand("GA-2026-0042", notifyUser: false));
        var withheld = await platform.Operator().GetFromJsonAsync<JsonElement>("/v1/legal-disclosures?withheld=true");
        var notices = await client.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}/notifications");

        var listed = Assert.Single(withheld.GetProperty("items").EnumerateArray(), d =>
            d.GetProperty("userId").GetString() == user.UserId && d.GetProperty("documentReference").GetString() == "GA-2026-0042");
        // P1.7 (*reviewer*): the one review a withheld demand has names who recorded it and whether its hand-over finished.
        Assert.False(string.IsNullOrEmpty(listed.GetProperty("recordedBy").GetString()));
        Assert.Equal(JsonValueKind.String, listed.GetProperty("completedAt").ValueKind);
        Assert.DoesNotContain(notices.GetProperty("items").EnumerateArray(), n => n.GetProperty("kind").GetString() == "legal-disclosure");
    }

    [Fact]
    public async Task P3_3_a_legal_demand_the_user_may_not_be_told_of_is_kept_out_of_their_ledger_their_export_and_supports_view()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Ledger", "support")).ApiKey);
        // Plain ASCII, so that each is found as it is in JSON and in the page alike.
        const string Secret = "State Security Bureau";
        const string Told = "Beijing Public Security Bureau";

        await platform.RecordAndApproveAsync(user.UserId, Demand("GA-2026-0088", notifyUser: false, authority: Secret));
        var notified = await platform.Operator().PostAsJsonAsync(
            $"/v1/users/{user.UserId}/legal-disclosures", Demand("GA-2026-0089", notifyUser: true, authority: Told));
        var ledger = await client.GetStringAsync($"/v1/users/{user.UserId}/disclosures");
        var supportsLedger = await support.GetStringAsync($"/v1/users/{user.UserId}/disclosures");
        var page = await (await platform.PrivacyCenterAsync(user)).GetStringAsync("/privacy");
        var access = (await client.FileRequestAsync(user.UserId, new { type = "access" })).RequestId();
        await client.WaitUntilDoneAsync(access);
        var export = await client.GetStringAsync($"/v1/requests/{access}/export");

        Assert.Equal(HttpStatusCode.Created, notified.StatusCode);
        // The hand-over is on the record (ledger row, review list) but not where the user, or support on their line, reads.
        Assert.Equal(2L, await platform.Database.ScalarAsync<long>("SELECT count(*) FROM user_disclosures WHERE user_id = $1", user.UserId));
        Assert.Equal(1L, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM legal_disclosures WHERE user_id = $1 AND authority = $2 AND NOT user_notified", user.UserId, Secret));
        foreach (var read in new[] { ledger, supportsLedger, page, export })
        {
            Assert.DoesNotContain(Secret, read, StringComparison.Ordinal);
            Assert.Contains(Told, read, StringComparison.Ordinal);
        }
    }

    // P1.7 (*reviewer*): a legal demand's authority and reference are free text an operator types; support read the user's
    // notice of it masked, yet the ledger whole, a mobile number written into the reference included.
    [Fact]
    public async Task P1_7_P3_3_support_reads_a_legal_demands_free_text_in_the_ledger_masked_while_the_user_reads_it_whole()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Ledger Mask", "support")).ApiKey);
        const string Number = "13912345678";

        (await platform.Operator().PostAsJsonAsync(
            $"/v1/users/{user.UserId}/legal-disclosures", Demand($"GA-{Number}", notifyUser: true, authority: $"Officer {Number}"))).EnsureSuccessStatusCode();
        var ledger = await client.GetStringAsync($"/v1/users/{user.UserId}/disclosures");
        var supportsLedger = await support.GetStringAsync($"/v1/users/{user.UserId}/disclosures");

        Assert.Contains($"GA-{Number}", ledger, StringComparison.Ordinal);
        Assert.DoesNotContain(Number, supportsLedger, StringComparison.Ordinal);
        Assert.Contains("5678", supportsLedger, StringComparison.Ordinal);
    }

    // P3.3 (*reviewer*): the cancellation's erasure receipt counted every ledger row it erased, the withheld demand's too: the
    // user (with the follow-up code) and support read one more than the ledger had ever shown, and so learnt of it.
    [Fact]
    public async Task P3_3_a_cancellations_erasure_receipt_does_not_count_a_withheld_legal_demand()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Receipt", "support")).ApiKey);
        await platform.RecordAndApproveAsync(user.UserId, Demand("GA-2026-0301", notifyUser: false, authority: "State Security Bureau"));
        Assert.Equal(HttpStatusCode.Created, (await platform.Operator().PostAsJsonAsync(
            $"/v1/users/{user.UserId}/legal-disclosures", Demand("GA-2026-0302", notifyUser: true))).StatusCode);
        var shown = (await client.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}/disclosures")).GetProperty("items").GetArrayLength();

        var filed = await client.FileRequestAsync(user.UserId, new { type = "cancellation" });
        var done = await support.WaitUntilDoneAsync(filed.RequestId());
        var followedUp = await platform.Client().PostAsJsonAsync($"/v1/requests/{filed.RequestId()}/follow-up",
            new { code = filed.GetProperty("followUpCode").GetString() });

        Assert.Equal(1, shown);
        Assert.Equal(HttpStatusCode.OK, followedUp.StatusCode);
        foreach (var view in new[] { done, await followedUp.Content.ReadFromJsonAsync<JsonElement>() })
        {
            Assert.Equal(shown, view.GetProperty("receipt").GetProperty("erased").GetProperty("erase-disclosures").GetInt32());
        }

        Assert.Equal(0L, await platform.Database.ScalarAsync<long>("SELECT count(*) FROM user_disclosures WHERE user_id = $1", user.UserId));
    }

    // P1.7, P3.3 (*reviewer*): the audit entry was written after the hand-over: a log that refused it left the hand-over in
    // the user's ledger on no record, the operator told 503.
    [Fact]
    public async Task P1_7_P3_3_a_legal_demand_the_audit_log_cannot_take_hands_nothing_over()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var trigger = $"refuse_{Guid.NewGuid():N}";
        await platform.Database.ScalarAsync<object>($"""
            CREATE FUNCTION {trigger}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit log refuses'; END $$;
            CREATE TRIGGER {trigger} BEFORE INSERT ON audit_log FOR EACH ROW
              WHEN (NEW.action = 'legal-disclosure' AND NEW.subject_user_id = '{user.UserId}') EXECUTE FUNCTION {trigger}();
            """);
        HttpResponseMessage refused;
        try
        {
            refused = await platform.Operator().PostAsJsonAsync($"/v1/users/{user.UserId}/legal-disclosures", Demand("GA-2026-0401", notifyUser: true));
        }
        finally
        {
            await platform.Database.ScalarAsync<object>($"DROP TRIGGER {trigger} ON audit_log; DROP FUNCTION {trigger}();");
        }

        Assert.False(refused.IsSuccessStatusCode);
        Assert.Equal(0L, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM user_disclosures WHERE user_id = $1 AND recipient_kind = 'LegalAuthority'", user.UserId));
        Assert.DoesNotContain((await client.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}/disclosures")).GetProperty("items").EnumerateArray(),
            item => item.GetProperty("recipientKind").GetString() == "legal-authority");
    }

    // P1.7, P3.3 (*reviewer*): with the audit entry written before the hand-over, a demand the user's gate then refused (an
    // account closing) stood in the log as a hand-over that never happened, and in the user's access log.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task P1_7_P3_3_a_legal_demand_a_closing_account_refuses_is_on_the_record_as_refused(bool notifyUser)
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var support = platform.Client((await platform.EnrolStaffAsync($"Agent Closing {notifyUser}", "support")).ApiKey);
        var path = $"/v1/users/{user.UserId}/legal-disclosures";
        var demand = Demand($"GA-2026-05{(notifyUser ? 1 : 2)}", notifyUser);
        // A withheld demand is handed over at its second operator's approval: that is what the closing account refuses.
        var awaiting = notifyUser ? null : (await (await platform.Operator().PostAsJsonAsync(path, demand)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("disclosureId").GetString();
        var secondOperator = await platform.IndependentOperatorAsync($"Closing Approver {notifyUser}");
        // The cancellation waits at the location samples on this lock, its account closed.
        await using var connection = await platform.Database.DataSource.OpenConnectionAsync();
        await using var hold = await connection.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE user_location_samples IN ACCESS EXCLUSIVE MODE", connection, hold))
        {
            await lockTable.ExecuteNonQueryAsync();
        }

        var cancellation = (await client.FileRequestAsync(user.UserId, new { type = "cancellation" })).RequestId();
        await Polling.UntilAsync(async () => await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%user_location_samples%' AND pid <> pg_backend_pid()") > 0);
        var refused = awaiting is null
            ? await platform.Operator().PostAsJsonAsync(path, demand)
            : await secondOperator.PostAsJsonAsync($"/v1/legal-disclosures/{awaiting}/approval", new { reason = "Seal checked." });
        await hold.RollbackAsync();
        await support.WaitUntilDoneAsync(cancellation);

        Assert.False(refused.IsSuccessStatusCode);
        Assert.Equal(1L, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_log WHERE subject_user_id = $1 AND action = 'legal-disclosure:refused' AND detail::jsonb ->> 'userNotified' = $2",
            user.UserId, notifyUser ? "true" : "false"));
    }

    // P3.3 (*reviewer*): a field named with a line break or a bidi override reached the user's notice and ledger as it was,
    // able to tell them something other than what was handed over.
    [Theory]
    [InlineData("orders\n[系统] 本次请求已撤销")]
    [InlineData("\u202Esredro")]
    // P4.1, A.1 (*reviewer*): a person's name or numbers written as a "field" outlived the user's erasure in the legal record.
    [InlineData("张三")]
    [InlineData("13912345678")]
    [InlineData("610102199001011231")]
    [InlineData("phone number")]
    [InlineData("ZhangSan")]
    [InlineData("id-110101199003071234")]
    public async Task P3_3_a_field_with_a_control_or_bidi_character_is_400_and_nothing_is_recorded(string field)
    {
        var user = await platform.RegisterUserAsync();

        var response = await platform.Operator().PostAsJsonAsync($"/v1/users/{user.UserId}/legal-disclosures", new
        {
            authority = "Beijing Public Security Bureau",
            documentType = "investigation-letter",
            documentReference = "GA-2026-0402",
            fields = new[] { "phone", field },
            notifyUser = true,
        });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("fields", out _), problem.ToString());
        Assert.Equal(0L, await platform.Database.ScalarAsync<long>("SELECT count(*) FROM user_disclosures WHERE user_id = $1", user.UserId));
    }

    [Theory]
    [InlineData("authority")]
    [InlineData("documentType")]
    [InlineData("documentReference")]
    public async Task P3_3_a_legal_demand_without_its_authority_document_type_or_reference_is_400_and_hands_nothing_over(string missing)
    {
        var user = await platform.RegisterUserAsync();
        var body = JsonSerializer.SerializeToNode(Demand("REF-1", notifyUser: true))!.AsObject();
        body.Remove(missing);

        var response = await platform.Operator().PostAsJsonAsync($"/v1/users/{user.UserId}/legal-disclosures", body);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(missing, out _), problem.ToString());
        Assert.Empty((await (await platform.AsUserAsync(user)).GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}/disclosures")).GetProperty("items").EnumerateArray());
    }

    // P3.3: an authority's name of 129-200 characters passed the edge, was recorded as begun, and its hand-over was then
    // refused by the ledger (128 characters): 503 on every retry, and a demand on the review list with nothing handed over.
    [Fact]
    public async Task P3_3_an_authority_longer_than_the_ledger_takes_is_400_and_nothing_is_begun()
    {
        var user = await platform.RegisterUserAsync();

        var response = await platform.Operator().PostAsJsonAsync($"/v1/users/{user.UserId}/legal-disclosures",
            Demand("REF-LONG", notifyUser: false, authority: new string('局', 150)));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("authority", out _), problem.ToString());
        Assert.Equal(0L, await platform.Database.ScalarAsync<long>("SELECT count(*) FROM legal_disclosures WHERE user_id = $1", user.UserId));
    }

    // The grain holds it for any caller (an older API host, a script through the cluster client): before anything is written.
    [Fact]
    public async Task P3_3_the_grain_refuses_an_authority_longer_than_the_ledger_takes_before_it_writes_anything()
    {
        var user = await platform.RegisterUserAsync();

        var refused = await Assert.ThrowsAsync<DomainException>(() => platform.Grains.GetGrain<ILegalDisclosuresGrain>(0).Record(user.UserId,
            new LegalDemand(new string('局', ILegalDisclosuresGrain.MaxAuthorityLength + 1), "court-order", "REF-GRAIN", ["phone"], NotifyUser: false, "operator-test",
                platform.WithheldFor90Days())));

        Assert.Equal("invalid-authority", refused.Code);
        Assert.Equal(0L, await platform.Database.ScalarAsync<long>("SELECT count(*) FROM legal_disclosures WHERE user_id = $1", user.UserId));
    }

    [Fact]
    public async Task P3_3_only_an_operator_records_a_legal_demand()
    {
        var user = await platform.RegisterUserAsync();
        var support = platform.Client((await platform.EnrolStaffAsync("Agent Legal", "support")).ApiKey);
        var merchant = platform.Client((await platform.CreateMerchantAsync("Legal House")).ApiKey);
        var self = await platform.AsUserAsync(user);

        foreach (var caller in new[] { support, merchant, self })
        {
            var response = await caller.PostAsJsonAsync($"/v1/users/{user.UserId}/legal-disclosures", Demand("REF-2", notifyUser: true));
            await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        }

        Assert.Empty((await self.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}/disclosures")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task P3_3_the_disclosure_gate_refuses_a_hand_over_to_a_legal_authority_without_a_document_reference()
    {
        var user = await platform.RegisterUserAsync();

        var refused = await Assert.ThrowsAsync<DomainException>(() => platform.Grains.GetGrain<IUserConsentGate>(user.UserId).Disclose(new DisclosureRequest(
            "Some Bureau", RecipientKind.LegalAuthority, ["phone"], "asked nicely", null, Grains.Consents.LawfulBasis.LegalObligation, "CN")));

        Assert.Equal("legal-document-required", refused.Code);
    }

    [Fact]
    public async Task P3_3_withheld_legal_disclosures_are_listed_a_page_at_a_time_and_every_one_is_reached_for_review()
    {
        // Before, the review list was the oldest 500 with no cursor: whatever was withheld after them (or after 500
        // throwaway demands an operator recorded first) was out of every reviewer's reach, and the list said it was all.
        var user = await platform.RegisterUserAsync();
        var recorded = new List<string>();
        foreach (var number in new[] { 901, 902, 903 })
        {
            var response = await platform.Operator().PostAsJsonAsync($"/v1/users/{user.UserId}/legal-disclosures", Demand($"（2026）京01刑调字第{number}号", notifyUser: false));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            recorded.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("disclosureId").GetString()!);
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await platform.Operator().GetFromJsonAsync<JsonElement>(
                $"/v1/legal-disclosures?withheld=true&limit=2{(cursor is null ? "" : $"&cursor={cursor}")}");
            var items = page.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("disclosureId").GetString()!).ToList();
            Assert.InRange(items.Count, 1, 2);
            seen.AddRange(items);
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 1_000);
        var madeUp = await platform.Operator().GetAsync("/v1/legal-disclosures?withheld=true&cursor=not-one-we-gave");

        Assert.All(recorded, id => Assert.Contains(id, seen));
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.True(pages >= 2, $"{seen.Count} withheld disclosures came in {pages} page(s) of 2");
        await madeUp.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    // P1.7, P3.3: whoever enrols a key is handed its secret. An operator who minted two operator keys recorded with one and
    // approved with the other; one at the top of a chain of keys, each minted by the last, approved with the key at its foot.
    // Only a key minted directly by the other was refused.
    [Fact]
    public async Task P1_7_P3_3_operator_keys_minted_under_one_staff_key_or_down_a_chain_of_keys_are_one_pair_of_hands()
    {
        var user = await platform.RegisterUserAsync();
        var path = $"/v1/users/{user.UserId}/legal-disclosures";
        var lead = await platform.SecondOperatorAsync("Lead Operator");
        var first = await platform.EnrolledByAsync(lead, "Lead's First Key", "operator");
        var sibling = await platform.EnrolledByAsync(lead, "Lead's Second Key", "operator");
        var grandchild = await platform.EnrolledByAsync(first, "First Key's Own Key", "operator");
        var byFirst = await (await first.PostAsJsonAsync(path, Demand("GA-KIN-1", notifyUser: false))).Content.ReadFromJsonAsync<JsonElement>();
        var byLead = await (await lead.PostAsJsonAsync(path, Demand("GA-KIN-2", notifyUser: false))).Content.ReadFromJsonAsync<JsonElement>();

        var bySibling = await sibling.PostAsJsonAsync($"/v1/legal-disclosures/{byFirst.GetProperty("disclosureId").GetString()}/approval", new { reason = "Seal checked." });
        var byTheFootOfTheChain = await grandchild.PostAsJsonAsync($"/v1/legal-disclosures/{byLead.GetProperty("disclosureId").GetString()}/approval", new { reason = "Seal checked." });
        var byAnIndependentOperator = await (await platform.IndependentOperatorAsync("Kin Test Independent")).PostAsJsonAsync(
            $"/v1/legal-disclosures/{byLead.GetProperty("disclosureId").GetString()}/approval", new { reason = "Seal checked with the bureau." });

        Assert.EndsWith("/enrolled-by-the-same-key", (await bySibling.AssertProblemAsync(HttpStatusCode.Forbidden)).TypeOf(), StringComparison.Ordinal);
        Assert.EndsWith("/enrolled-the-recorder", (await byTheFootOfTheChain.AssertProblemAsync(HttpStatusCode.Forbidden)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, byAnIndependentOperator.StatusCode);
        // Only the one an independent operator approved was handed over.
        Assert.Equal(1L, await LegalLedgerRowsAsync(user.UserId));
    }

    // P1.7, P3.3 (*reviewer*): one operator recorded a demand withheld from its user and the data went at once, hidden from
    // the user for good (its review list could only be read); a document of no named kind ("other") needed nothing more.
    [Fact]
    public async Task P1_7_P3_3_a_demand_withheld_from_its_user_or_of_no_named_document_waits_for_a_second_operator_and_hands_nothing_over_until_then()
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var path = $"/v1/users/{user.UserId}/legal-disclosures";
        var withoutAnEnd = await platform.Operator().PostAsJsonAsync(path, new
        {
            authority = "Beijing Public Security Bureau", documentType = "subpoena", documentReference = "GA-FOUR-0", fields = new[] { "phone" }, notifyUser = false,
        });
        var tooLong = await platform.Operator().PostAsJsonAsync(path, new
        {
            authority = "Beijing Public Security Bureau", documentType = "subpoena", documentReference = "GA-FOUR-0", fields = new[] { "phone" }, notifyUser = false,
            withheldUntil = platform.Clock.GetUtcNow().AddDays(400),
        });

        var recorded = await platform.Operator().PostAsJsonAsync(path, Demand("GA-FOUR-1", notifyUser: false));
        var disclosureId = (await recorded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("disclosureId").GetString()!;
        var ledgerRowsBefore = await LegalLedgerRowsAsync(user.UserId);
        var byItsRecorder = await platform.Operator().PostAsJsonAsync($"/v1/legal-disclosures/{disclosureId}/approval", new { reason = "I checked it myself." });
        var enrolledByTheRecorder = await (await platform.SecondOperatorAsync("Recorder's Own Operator")).PostAsJsonAsync(
            $"/v1/legal-disclosures/{disclosureId}/approval", new { reason = "My colleague asked me to." });
        var secondOperator = await platform.IndependentOperatorAsync("Second Legal Operator");
        var approved = await secondOperator.PostAsJsonAsync($"/v1/legal-disclosures/{disclosureId}/approval", new { reason = "Seal checked with the bureau." });
        var approvedAgain = await secondOperator.PostAsJsonAsync($"/v1/legal-disclosures/{disclosureId}/approval", new { reason = "Seal checked with the bureau." });
        var other = await platform.Operator().PostAsJsonAsync(path, new
        {
            authority = "Beijing Public Security Bureau", documentType = "other", documentReference = "A PHONE CALL", fields = new[] { "phone" }, notifyUser = true,
        });
        var told = await platform.Operator().PostAsJsonAsync(path, Demand("GA-FOUR-2", notifyUser: true));
        var notices = await client.GetFromJsonAsync<JsonElement>($"/v1/users/{user.UserId}/notifications");
        var accessLog = await client.GetStringAsync($"/v1/users/{user.UserId}/access-log");

        Assert.True((await withoutAnEnd.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("withheldUntil", out _));
        await tooLong.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.Accepted, recorded.StatusCode);
        Assert.Equal(0L, ledgerRowsBefore);
        Assert.EndsWith("/own-demand", (await byItsRecorder.AssertProblemAsync(HttpStatusCode.Forbidden)).TypeOf(), StringComparison.Ordinal);
        // A key the recorder minted is the recorder again (*reviewer*).
        Assert.EndsWith("/enrolled-the-recorder", (await enrolledByTheRecorder.AssertProblemAsync(HttpStatusCode.Forbidden)).TypeOf(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal("handed-over", (await approved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, approvedAgain.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, other.StatusCode);
        Assert.Equal(HttpStatusCode.Created, told.StatusCode);
        // Handed over once each: the approved one and the one the user is told of; the "other" one still waits.
        Assert.Equal(2L, await LegalLedgerRowsAsync(user.UserId));
        Assert.Single(notices.GetProperty("items").EnumerateArray(), n => n.GetProperty("kind").GetString() == "legal-disclosure");
        // Every step of the withheld one is on the record, none where the user reads it.
        Assert.Equal(3L, await platform.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_log WHERE subject_user_id = $1 AND action LIKE 'legal-disclosure%' AND detail LIKE '%' || $2 || '%'", user.UserId, disclosureId));
        // The one awaiting approval that the user will be told of is in their access log; the withheld one's steps are not.
        Assert.Single(JsonDocument.Parse(accessLog).RootElement.GetProperty("items").EnumerateArray(),
            entry => entry.GetProperty("action").GetString() == "legal-disclosure:awaiting-approval");
        Assert.DoesNotContain("legal-disclosure:approved", accessLog, StringComparison.Ordinal);
    }

    // P4.1, A.1 (*reviewer*): a demand's reference is free text an operator types, written whole into the append-only audit
    // log, where an identity number in it outlived the user's erasure for good.
    [Fact]
    public async Task P4_1_a_legal_demands_reference_is_in_the_audit_log_with_its_identifying_numbers_masked()
    {
        var user = await platform.RegisterUserAsync();
        const string IdentityCard = "610102199001011231";

        var told = await platform.Operator().PostAsJsonAsync($"/v1/users/{user.UserId}/legal-disclosures", Demand($"GA-{IdentityCard}", notifyUser: true));

        Assert.Equal(HttpStatusCode.Created, told.StatusCode);
        var details = await platform.Database.ScalarAsync<string>(
            "SELECT string_agg(detail, ' ') FROM audit_log WHERE subject_user_id = $1 AND action LIKE 'legal-disclosure%'", user.UserId);
        Assert.DoesNotContain(IdentityCard, details, StringComparison.Ordinal);
        Assert.Contains("1231", details, StringComparison.Ordinal);
    }

    private Task<long> LegalLedgerRowsAsync(string userId) =>
        platform.Database.ScalarAsync<long>("SELECT count(*) FROM user_disclosures WHERE user_id = $1 AND recipient_kind = 'LegalAuthority'", userId);

    private object Demand(string reference, bool notifyUser, string authority = "Beijing Public Security Bureau") => new
    {
        authority,
        documentType = "investigation-letter",
        documentReference = reference,
        fields = new[] { "phone", "orders" },
        notifyUser,
        withheldUntil = notifyUser ? (DateTimeOffset?)null : platform.WithheldFor90Days(),
    };
}
