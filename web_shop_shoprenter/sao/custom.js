/* The web client's additions for the ShopRenter module, served by
 * `shoprenter serve` as sao's custom.js.
 *
 * Whole forint amounts in lists without fillér: "9 000 Ft", not
 * "9 000,00 Ft".  An amount with fillér keeps them ("9 000,30 Ft"), so
 * nothing is hidden; Tryton keeps HUF to the fillér (its currency digits
 * are 2), which the invoices' rounding line needs. */
(function() {
    'use strict';
    var forint_ids = {};  // by session: the ids of the HUF currencies

    function forints(session) {
        var key = session.database + '/' + session.login;
        if (!(key in forint_ids)) {
            try {
                forint_ids[key] = Sao.rpc({
                    'method': 'model.currency.currency.search',
                    'params': [[['code', '=', 'HUF']], 0, null, null, {}],
                }, session, false);
            } catch (e) {
                forint_ids[key] = [];
            }
        }
        return forint_ids[key];
    }

    // Whether the field is an amount in forint: its digits are those of
    // the record's currency, and that currency is HUF
    function in_forint(field, record) {
        // The currency field's name, PYSON-encoded in the description
        var digits = record.expr_eval(field.description.digits);
        if (typeof(digits) != 'string' || !(digits in record.model.fields)) {
            return false;
        }
        var currency = record.model.fields[digits];
        if (currency.description.relation != 'currency.currency') {
            return false;
        }
        var currency_id = currency.get(record);
        return (currency_id !== null) &&
            forints(record.model.session).includes(currency_id);
    }

    var get_client = Sao.field.Float.prototype.get_client;
    Sao.field.Float.prototype.get_client = function(
            record, factor=1, grouping=true) {
        var text = get_client.call(this, record, factor, grouping);
        var value = this.get(record);
        if ((value === null) || !in_forint(this, record)) {
            return text;
        }
        var amount = Number(value) * factor;
        if (!Number.isInteger(amount)) {
            return text;
        }
        return amount.toLocaleString(Sao.i18n.BC47(Sao.i18n.getlang()), {
            'useGrouping': grouping,
            'maximumFractionDigits': 0,
        });
    };
}());
